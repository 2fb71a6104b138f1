package io.glance.session;

import io.glance.generation.Cancellation;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A question handed to {@link ModelHost#ask}: how to stop it. Whoever claims it first ends it: the host when its
 * turn comes, or {@link #stop()} before that. Thread-safe.
 */
public final class AskedQuestion {
    private final Cancellation cancel = new Cancellation();
    private final AtomicBoolean claimed = new AtomicBoolean();

    /**
     * Stops the answer within one decode step, or before it starts.
     *
     * @return true when the question had not started: the host will not answer it, and the caller ends it now
     */
    public boolean stop() {
        cancel.cancel();
        return claimed.compareAndSet(false, true);
    }

    /** Inference thread: takes the question for answering; false when it was stopped first. */
    boolean claim() {
        return claimed.compareAndSet(false, true);
    }

    Cancellation cancellation() {
        return cancel;
    }
}
