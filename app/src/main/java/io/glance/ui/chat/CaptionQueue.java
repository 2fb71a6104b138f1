package io.glance.ui.chat;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Questions waiting to be asked one after another (captions of dropped files), and how far the run is. FX thread. */
final class CaptionQueue {
    private final Deque<QueuedQuestion> waiting = new ArrayDeque<>();
    private final ReadOnlyStringWrapper progress = new ReadOnlyStringWrapper("");
    private int total;

    /** "Captioning 2 of 5" while a run of more than one goes, else empty. */
    ReadOnlyStringProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    /** @param idle whether nothing is being answered now: then a new run begins, counted from its first question */
    void addAll(List<QueuedQuestion> questions, boolean idle) {
        if (waiting.isEmpty() && idle) {
            total = 0;
        }
        waiting.addAll(questions);
        total += questions.size();
        showProgress();
    }

    /** Takes the next question and runs its {@code onStart}; null when none waits (the run is over). */
    QueuedQuestion next() {
        QueuedQuestion next = waiting.poll();
        if (next == null) {
            progress.set("");
            return null;
        }
        showProgress();
        next.onStart().run();
        return next;
    }

    /** Drops every waiting question (each runs its {@code onDiscard}). */
    void discardAll() {
        while (!waiting.isEmpty()) {
            waiting.poll().onDiscard().run();
        }
        progress.set("");
    }

    private void showProgress() {
        progress.set(total <= 1 ? "" : "Captioning " + (total - waiting.size()) + " of " + total);
    }
}
