package io.glance.generation;

import java.util.Arrays;

/**
 * The moments of one answer, marked as the loop passes them, and the {@link Timings} they make. One per answer;
 * confined to the answering thread.
 */
final class AnswerClock {
    private final long start;
    private final long[] stepNanos;
    private int steps;
    private long preprocessed;
    private long visionStart;
    private long visionEnd;
    private long prefillStart;
    private long prefillNanos;
    private long firstToken;
    private long lastToken;
    private long decodeRunNanos;

    /**
     * @param start    when the request began ({@link System#nanoTime()})
     * @param maxSteps the most decoder runs the answer can take
     */
    AnswerClock(long start, int maxSteps) {
        this.start = start;
        this.stepNanos = new long[maxSteps];
    }

    void preprocessed() {
        preprocessed = System.nanoTime();
    }

    void visionStarts() {
        visionStart = System.nanoTime();
    }

    void visionEnds() {
        visionEnd = System.nanoTime();
    }

    void prefillStarts() {
        prefillStart = System.nanoTime();
    }

    void prefillEnds() {
        prefillNanos = System.nanoTime() - prefillStart;
    }

    /** A token was picked. */
    void token() {
        lastToken = System.nanoTime();
        if (firstToken == 0) {
            firstToken = lastToken;
        }
    }

    /** A decode step ran the decoder graph for {@code nanos}. */
    void decoderRan(long nanos) {
        stepNanos[steps++] = nanos;
        decodeRunNanos += nanos;
    }

    /** @param generated tokens in the answer (stop token excluded); the rate counts the steps between them */
    Timings timings(int generated) {
        int between = Math.min(steps, Math.max(0, generated - 1));
        double decodeWallMs = (lastToken - firstToken) / 1e6;
        return new Timings(
                (preprocessed - start) / 1e6,
                (preprocessed - start + visionEnd - visionStart) / 1e6,
                (visionEnd - visionStart) / 1e6,
                prefillNanos / 1e6,
                firstToken == 0 ? Double.NaN : (firstToken - start) / 1e6,
                between == 0 || decodeWallMs <= 0 ? Double.NaN : between / (decodeWallMs / 1000.0),
                medianStepMs(between),
                decodeWallMs <= 0 ? Double.NaN : Math.min(1.0, decodeRunNanos / 1e6 / decodeWallMs));
    }

    private double medianStepMs(int n) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(stepNanos, n);
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return median / 1e6;
    }
}
