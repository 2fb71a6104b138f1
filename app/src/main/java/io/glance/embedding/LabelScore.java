package io.glance.embedding;

/**
 * One candidate label of a zero-shot classification with its probability. Immutable; safe on any thread.
 *
 * @param label       the label as given (without the hypothesis template)
 * @param probability softmax share (CLIP) or independent sigmoid (SigLIP), 0..1
 */
public record LabelScore(String label, float probability) {
}
