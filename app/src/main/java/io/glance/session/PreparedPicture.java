package io.glance.session;

import io.glance.generation.Cancellation;
import io.glance.generation.PreparedImages;
import io.glance.vision.DecodedImage;

import java.util.concurrent.Executor;

/**
 * A picture read ahead of a question ({@link ModelHost#prepare}): its pixels and, once the vision encoder has
 * run, its features. Asking with it ({@link ModelHost#ask}) uses them instead of fetching and encoding the
 * picture again. {@link #subjectId()}, {@link #isReady()} and {@link #cancel()} from any thread; the rest is the
 * host's, on the inference thread.
 */
public final class PreparedPicture {
    private final ImageRequest request;
    private final Executor inference;
    private final Cancellation cancel = new Cancellation();
    private volatile boolean ready;
    /* inference thread */
    private DecodedImage picture;
    private PreparedImages features;

    PreparedPicture(ImageRequest request, Executor inference) {
        this.request = request;
        this.inference = inference;
    }

    /** The picture's subject id ({@link ImageRequest#subjectId()}). */
    public String subjectId() {
        return request.subjectId();
    }

    /** True once the encoder has run over the picture. */
    public boolean isReady() {
        return ready;
    }

    /**
     * Stops the encoder if it still runs over this picture, and frees the pixels on the inference thread; a question
     * asked with the handle afterwards fetches the picture itself.
     */
    public void cancel() {
        cancel.cancel();
        inference.execute(this::release);
    }

    ImageRequest request() {
        return request;
    }

    Cancellation cancellation() {
        return cancel;
    }

    /** Inference thread: keeps the fetched picture and its features. */
    void fill(DecodedImage fetched, PreparedImages encoded) {
        picture = fetched;
        features = encoded;
        ready = true;
    }

    /** Inference thread: the pixels, or null when they were never fetched or already freed. */
    DecodedImage picture() {
        return picture;
    }

    /** Inference thread: the features, or null before the encoder ran. */
    PreparedImages features() {
        return features;
    }

    /** Inference thread: frees the pixels. */
    private void release() {
        if (picture != null) {
            picture.close();
            picture = null;
        }
        features = null;
        ready = false;
    }
}
