package io.glance.onnx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The one background thread that opens parts of a model (sessions, the tokenizer) while the loading thread
 * opens the decoder. It is a single daemon thread that lives as long as the process: native allocations
 * made on a thread stay in that thread's malloc arena, so a fresh thread per load grew resident memory by
 * hundreds of megabytes over repeated loads; one long-lived thread reuses one arena. Safe on any thread.
 */
final class LoaderThread {
    private static final ExecutorService EXECUTOR = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "glance-model-loader");
        thread.setDaemon(true);
        return thread;
    });

    private LoaderThread() {
    }

    /** Runs {@code work} on the loader thread; its exception comes back as the future's cause. */
    static <T> CompletableFuture<T> submit(Callable<T> work) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, EXECUTOR);
    }

    /**
     * Queues {@code work} on the loader thread, behind what is already there, and returns a handle with which
     * another thread that is free first can run it instead ({@link Claimable#runHereIfNotStarted}); it runs once.
     */
    static <T> Claimable<T> submitClaimable(Callable<T> work) {
        return claimable(work).queue();
    }

    /** Work that runs once, on whichever thread gets to it first; nothing runs it until it is queued or claimed. */
    static <T> Claimable<T> claimable(Callable<T> work) {
        return new Claimable<>(work);
    }

    /** Work that runs once, on whichever thread gets to it first. Safe on any thread. */
    static final class Claimable<T> {
        private final Callable<T> work;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CompletableFuture<T> result = new CompletableFuture<>();

        private Claimable(Callable<T> work) {
            this.work = work;
        }

        /** Queues the work on the loader thread, behind what is already there; returns this. */
        Claimable<T> queue() {
            EXECUTOR.execute(this::runHereIfNotStarted);
            return this;
        }

        /** Runs the work on this thread unless it has started elsewhere. */
        void runHereIfNotStarted() {
            if (started.compareAndSet(false, true)) {
                try {
                    result.complete(work.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            }
        }

        /** The work's result; its exception comes back as the future's cause. */
        CompletableFuture<T> result() {
            return result;
        }
    }
}
