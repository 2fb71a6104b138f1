package io.glance.generation;

/**
 * Everything a {@link ChatSession} needs from a model family, with one conversation's image settings. Immutable.
 *
 * @param images    image preprocessing
 * @param prompt    chat template and image tokens
 * @param positions position ids
 */
public record ModelFormat(ImagePreparation images, PromptFormat prompt, PositionScheme positions) {
}
