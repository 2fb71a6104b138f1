package io.glance.generation;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A stop request for one generation: any thread may {@link #cancel()}; the generation loop checks
 * {@link #isCancelled()} every step, and backends register a hook to abort a long native run (prefill,
 * image encoding) at once. Thread-safe.
 */
public final class Cancellation {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CopyOnWriteArrayList<Runnable> hooks = new CopyOnWriteArrayList<>();

    /** Requests a stop; runs the registered hooks once. Safe to call repeatedly and from any thread. */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            hooks.forEach(Runnable::run);
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /**
     * Runs {@code hook} on cancel (at once if already cancelled) until the returned handle is closed.
     * Used around native calls that can be aborted.
     */
    public AutoCloseable whileRunning(Runnable hook) {
        hooks.add(hook);
        if (cancelled.get()) {
            hook.run();
        }
        return () -> hooks.remove(hook);
    }
}
