package io.glance.session;

import io.glance.embedding.EmbeddingModel;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The image–text embedding model of the window (zero-shot labels on the camera, the library's search by meaning),
 * behind a thread of its own so that labels keep coming while the chat's model answers. Loaded on first use and
 * kept; a load that failed is tried again on the next use.
 *
 * <p>Public methods: any thread; they return at once. Work runs on the executor, which must run one task at a time
 * in order; callbacks are called there.
 */
public final class EmbeddingService {
    /** Work with the loaded model, on the service's thread. */
    @FunctionalInterface
    public interface Work {
        void run(EmbeddingModel model) throws Exception;
    }

    private final Executor thread;
    private final Callable<EmbeddingModel> loader;
    /* service thread */
    private EmbeddingModel model;

    /**
     * @param thread runs one task at a time, in order (a single-thread executor; a same-thread one in tests)
     * @param loader loads the model; its exception's message is shown to people
     */
    public EmbeddingService(Executor thread, Callable<EmbeddingModel> loader) {
        this.thread = thread;
        this.loader = loader;
    }

    /**
     * Runs {@code work} with the model, loading it first if needed.
     *
     * @param failed receives what went wrong (the load or the work), on the service's thread
     */
    public void withModel(Work work, Consumer<Exception> failed) {
        thread.execute(() -> {
            try {
                if (model == null) {
                    model = loader.call();
                }
                work.run(model);
            } catch (Exception e) {
                failed.accept(e);
            }
        });
    }

    /** Closes the model after the work queued before; the next use loads the one chosen then. */
    public void reload() {
        close();
    }

    /** Closes the model after the work queued before. */
    public void close() {
        thread.execute(() -> {
            if (model != null) {
                model.close();
                model = null;
            }
        });
    }
}
