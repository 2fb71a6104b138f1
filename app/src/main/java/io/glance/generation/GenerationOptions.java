package io.glance.generation;

/**
 * How to pick tokens and when to stop. Immutable.
 *
 * @param maxNewTokens      at most this many tokens are generated
 * @param temperature       0 for greedy decoding, else the softmax temperature
 * @param topP              nucleus sampling mass (1 = off); used only when sampling
 * @param repetitionPenalty HF-style penalty on every token already in the sequence (1 = off)
 * @param seed              random seed for sampling
 * @param ignoreStopTokens  generate exactly {@code maxNewTokens} (for benchmarks)
 */
public record GenerationOptions(int maxNewTokens, float temperature, float topP, float repetitionPenalty,
                                long seed, boolean ignoreStopTokens) {

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("max new tokens must be at least 1, got " + maxNewTokens);
        }
        if (temperature < 0 || Float.isNaN(temperature)) {
            throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(repetitionPenalty > 0)) {
            throw new IllegalArgumentException("repetition penalty must be > 0, got " + repetitionPenalty);
        }
    }

    /** Greedy, no penalty, up to {@code maxNewTokens}. */
    public static GenerationOptions greedy(int maxNewTokens) {
        return new GenerationOptions(maxNewTokens, 0f, 1f, 1f, 0L, false);
    }

    public GenerationOptions withIgnoreStopTokens(boolean ignore) {
        return new GenerationOptions(maxNewTokens, temperature, topP, repetitionPenalty, seed, ignore);
    }
}
