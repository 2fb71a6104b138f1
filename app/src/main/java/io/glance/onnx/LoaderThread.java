package io.glance.onnx;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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
}
