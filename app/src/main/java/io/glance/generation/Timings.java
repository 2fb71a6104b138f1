package io.glance.generation;

/**
 * Where the time of one answer went, in milliseconds unless named otherwise. Immutable.
 *
 * @param preprocessMs      image decode-to-tensor preprocessing plus prompt rendering and tokenization
 * @param imageMs           preprocessing plus the vision encoder
 * @param visionMs          the vision encoder alone (0 when no image was encoded)
 * @param prefillMs         decoder passes over the prompt tokens not already cached
 * @param ttftMs            from the start of the request to the first generated token
 * @param decodeTokensPerS  (generated − 1) ÷ time from the first to the last token
 * @param decodeStepMs      median time of one decoder run during decoding
 * @param decodeRunShare    share of decode wall time (first to last token) spent inside the decoder graph's
 *                          {@code session.run}; token embedding, sampling and bookkeeping count as outside (0..1)
 */
public record Timings(double preprocessMs, double imageMs, double visionMs, double prefillMs, double ttftMs,
                      double decodeTokensPerS, double decodeStepMs, double decodeRunShare) {
    /** Nothing measured: an answer stopped before its first token. */
    public static final Timings NONE = new Timings(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN, Double.NaN);
}
