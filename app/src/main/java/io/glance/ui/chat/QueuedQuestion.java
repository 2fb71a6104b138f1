package io.glance.ui.chat;

import io.glance.session.ImageRequest;

/**
 * A question waiting in the caption queue. Immutable.
 *
 * @param question  what to ask
 * @param image     the picture it is about
 * @param onStart   runs on the FX thread when its turn starts (e.g. to show the picture)
 * @param onDiscard runs on the FX thread when the queue is cancelled before its turn (to free the picture)
 */
public record QueuedQuestion(String question, ImageRequest image, Runnable onStart, Runnable onDiscard) {
}
