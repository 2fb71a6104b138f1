package io.glance.generation;

import java.util.Arrays;
import java.util.Random;

/**
 * Picks the next token from logits: repetition penalty over every token already in the sequence, then
 * argmax (temperature 0) or temperature + top-p sampling with a seeded generator. One per answer; not
 * thread-safe.
 */
public final class Sampler {
    private final GenerationOptions options;
    private final Random random;
    private final boolean[] seen;
    private float[] probabilities;
    private Integer[] order;

    /** @param vocabSize logits per step */
    public Sampler(GenerationOptions options, int vocabSize) {
        this.options = options;
        this.random = new Random(options.seed());
        this.seen = new boolean[vocabSize];
    }

    /** Marks tokens as already in the sequence (prompt or generated) for the repetition penalty. */
    public void observe(int[] ids) {
        for (int id : ids) {
            observe(id);
        }
    }

    public void observe(int id) {
        if (id >= 0 && id < seen.length) {
            seen[id] = true;
        }
    }

    /** The next token; {@code logits} may be modified. */
    public int next(float[] logits) {
        float penalty = options.repetitionPenalty();
        if (penalty != 1f) {
            for (int i = 0; i < seen.length; i++) {
                if (seen[i]) {
                    logits[i] = logits[i] > 0 ? logits[i] / penalty : logits[i] * penalty;
                }
            }
        }
        return options.temperature() == 0f ? argmax(logits) : sample(logits);
    }

    static int argmax(float[] logits) {
        int best = 0;
        float bestValue = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > bestValue) {
                bestValue = logits[i];
                best = i;
            }
        }
        return best;
    }

    private int sample(float[] logits) {
        int n = logits.length;
        if (probabilities == null) {
            probabilities = new float[n];
        }
        float max = logits[argmax(logits)];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float p = (float) Math.exp((logits[i] - max) / options.temperature());
            probabilities[i] = p;
            sum += p;
        }
        if (options.topP() >= 1f) {
            double r = random.nextDouble() * sum;
            for (int i = 0; i < n; i++) {
                r -= probabilities[i];
                if (r <= 0) {
                    return i;
                }
            }
            return n - 1;
        }
        if (order == null) {
            order = new Integer[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(probabilities[b], probabilities[a]));
        double kept = 0;
        int cut = 0;
        while (cut < n && kept < options.topP() * sum) {
            kept += probabilities[order[cut++]];
        }
        double r = random.nextDouble() * kept;
        for (int i = 0; i < cut; i++) {
            r -= probabilities[order[i]];
            if (r <= 0) {
                return order[i];
            }
        }
        return order[cut - 1];
    }
}
