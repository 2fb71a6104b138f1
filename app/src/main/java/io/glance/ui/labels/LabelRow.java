package io.glance.ui.labels;

/**
 * One label of the panel with its probability for the picture shown. Immutable.
 *
 * @param label       the label as typed
 * @param probability 0..1
 */
public record LabelRow(String label, double probability) {
}
