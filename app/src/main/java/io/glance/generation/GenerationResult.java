package io.glance.generation;

/**
 * One finished answer. Immutable.
 *
 * @param text          the answer text, special tokens left out, surrounding white space trimmed
 * @param tokenIds      generated ids, the stop token excluded
 * @param finishReason  why it ended
 * @param promptTokens  tokens in the whole prompt of this turn
 * @param reusedTokens  prompt tokens served from the cache of earlier turns (not recomputed)
 * @param imageTokens   image tokens of the pictures shown with this question (their share of the prompt)
 * @param timings       where the time went
 */
public record GenerationResult(String text, int[] tokenIds, FinishReason finishReason, int promptTokens,
                               int reusedTokens, int imageTokens, Timings timings) {
}
