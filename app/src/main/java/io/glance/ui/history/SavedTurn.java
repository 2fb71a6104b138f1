package io.glance.ui.history;

/**
 * One question and answer as stored. Immutable.
 *
 * @param question  the question
 * @param answer    the answer text (Markdown)
 * @param imageFile the picture's file name inside the history image folder, or null for none
 * @param details   timing and device line, or null
 */
public record SavedTurn(String question, String answer, String imageFile, String details) {
}
