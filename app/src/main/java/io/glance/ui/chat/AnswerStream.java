package io.glance.ui.chat;

import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Carries answer text from the inference thread to the UI thread, coalesced: pieces are buffered and
 * handed over at most once per {@link #MIN_INTERVAL_NANOS}, never one UI task per token. What is still
 * buffered is handed over by {@link #finish}. Thread-safe: {@link #append} and {@link #finish} on the
 * producing thread, the sink runs on the UI executor.
 */
final class AnswerStream {
    /**
     * About 30 updates a second, one per frame of the 30 fps the camera preview must keep: each update scrolls
     * and repaints the visible chat (on the software renderer as well as the preview). Measured with the
     * preview streaming: 45–53 fps medians at this interval, 48–53 at 100 ms, 43–51 at 16 ms (docs/performance.md).
     */
    static final long MIN_INTERVAL_NANOS = 33_000_000L;

    private final Executor ui;
    private final Consumer<String> sink;
    private final StringBuilder pending = new StringBuilder();
    private boolean flushQueued;
    private long lastQueuedAt = System.nanoTime() - MIN_INTERVAL_NANOS;
    private int uiUpdates;

    /** @param sink receives the text that arrived since its last call, on the UI executor */
    AnswerStream(Executor ui, Consumer<String> sink) {
        this.ui = ui;
        this.sink = sink;
    }

    /** Adds a piece of answer text; queues a UI update if none is queued and a frame has passed. */
    void append(String piece) {
        synchronized (pending) {
            pending.append(piece);
            long now = System.nanoTime();
            if (flushQueued || now - lastQueuedAt < MIN_INTERVAL_NANOS) {
                return;
            }
            flushQueued = true;
            lastQueuedAt = now;
            uiUpdates++;
        }
        ui.execute(this::flush);
    }

    /** Hands over whatever is buffered, then runs {@code then}, both on the UI executor. */
    void finish(Runnable then) {
        ui.execute(() -> {
            flush();
            then.run();
        });
    }

    /** How many coalesced UI updates {@link #append} has queued so far. */
    int uiUpdates() {
        synchronized (pending) {
            return uiUpdates;
        }
    }

    private void flush() {
        String text;
        synchronized (pending) {
            text = pending.toString();
            pending.setLength(0);
            flushQueued = false;
        }
        if (!text.isEmpty()) {
            sink.accept(text);
        }
    }
}
