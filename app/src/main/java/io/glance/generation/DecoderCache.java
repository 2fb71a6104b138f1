package io.glance.generation;

/**
 * The key/value cache of one conversation and the token ids it holds, owned by one inference thread.
 * Tokens are appended in order; the cache can be cut back to a prefix so that a follow-up question
 * reuses everything up to where the new prompt differs. Owns native memory: close it. Not thread-safe.
 */
public interface DecoderCache extends AutoCloseable {

    /** Tokens held: their ids in order. */
    int[] tokens();

    /** Number of tokens held. */
    int length();

    /** Drops every position from {@code length} on. */
    void truncate(int length) throws GenerationException;

    /**
     * Says how long the conversation may get by the end of the answer being started ({@code positions} tokens in
     * all), so that a cache that grows in steps can take room for the answer with the prompt rather than grow
     * while answering. A hint: nothing is appended, and a cache may ignore it.
     */
    default void expectLength(int positions) {
    }

    /**
     * Runs the decoder over {@code ids} at the next positions and writes the logits of the last one into
     * {@code logits} ({@code vocab} floats).
     *
     * @param features  vectors that replace the embeddings of the image tokens among {@code ids}, in order;
     *                  {@code null} when {@code ids} holds no image token
     * @param positions the position ids of {@code ids}, as many columns as ids
     * @throws GenerationException when the backend fails; a cancelled run throws {@link CancelledException}
     */
    void append(int[] ids, ImageFeatures features, PositionIds positions, float[] logits, Cancellation cancel) throws GenerationException;

    /**
     * Nanoseconds the last {@link #append} spent inside the decoder graph's runs ({@code session.run} alone:
     * not the token embedding, not preparing inputs or reading logits).
     */
    long lastDecoderRunNanos();

    @Override
    void close();

    /** The native run was aborted because the generation was cancelled. */
    final class CancelledException extends GenerationException {
        private static final long serialVersionUID = 1L;

        public CancelledException() {
            super("cancelled");
        }
    }
}
