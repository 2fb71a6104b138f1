package io.glance.generation;

import io.glance.model.ModelFolder;

/**
 * The port the generation loop runs on: an image encoder and a decoder with a KV cache, implemented over
 * ONNX Runtime in production and scripted in tests. All calls come from one inference thread.
 */
public interface VisionLanguageModel extends AutoCloseable {

    /** The folder the model was loaded from, with its dimensions and special tokens. */
    ModelFolder folder();

    /**
     * Encodes the pictures of one prompt into one feature row per image token, in prompt order. Runs the encoder
     * every time: reading a picture ahead is {@link ChatSession#prepareImages}'s job.
     *
     * @throws GenerationException when the encoder fails; a cancelled run throws {@link DecoderCache.CancelledException}
     */
    ImageFeatures encodeImages(EncoderInput input, Cancellation cancel) throws GenerationException;

    /** A new, empty cache for one conversation. */
    DecoderCache newCache() throws GenerationException;

    /** Where inference runs: {@code cpu}, {@code cuda}, … */
    String provider();

    /** Why a preferred device was not used, or {@code null} when the first choice worked. */
    String fallbackReason();

    @Override
    void close();
}
