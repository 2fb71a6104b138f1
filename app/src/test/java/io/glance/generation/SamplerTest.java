package io.glance.generation;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {
    private static final int VOCAB = 49280;

    @Test
    void selectionPutsTheKLargestLast() {
        Random random = new Random(3);
        long[] values = random.longs(5000).distinct().toArray();
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int k : new int[] {1, 2, 64, 999, values.length}) {
            long[] work = values.clone();
            Sampler.selectLargest(work, k);
            long[] last = Arrays.copyOfRange(work, work.length - k, work.length);
            Arrays.sort(last);
            assertArrayEquals(Arrays.copyOfRange(sorted, sorted.length - k, sorted.length), last, "k=" + k);
        }
    }

    @Test
    void topPDrawsOnlyFromTheNucleusOfAPeakedDistribution() {
        float[] logits = logits(new Random(11), 6f);
        assertOnlyNucleusDrawn(logits, 0.9f);
    }

    @Test
    void topPDrawsOnlyFromTheNucleusOfAFlatDistributionThatNeedsThousandsOfTokens() {
        float[] logits = logits(new Random(12), 0.5f);
        Set<Integer> nucleus = nucleus(logits, 0.7f, 0.9f);
        assertTrue(nucleus.size() > 4096, "the case needs more than two rounds of selection: " + nucleus.size());
        assertOnlyNucleusDrawn(logits, 0.9f);
    }

    @Test
    void drawsFollowTheRenormalizedProbabilities() {
        float[] logits = {2f, 1f, 0f, -1f, -8f};
        float temperature = 1f;
        Sampler sampler = new Sampler(new GenerationOptions(10, temperature, 0.95f, 1f, 5L, false), logits.length);
        int[] counts = new int[logits.length];
        int draws = 40_000;
        for (int i = 0; i < draws; i++) {
            counts[sampler.next(logits.clone())]++;
        }
        // e^2, e^1, e^0 hold 96.8 % of the mass, so they are the nucleus at 0.95; e^-1 and e^-8 are left out.
        double[] p = Arrays.stream(new double[] {2, 1, 0}).map(Math::exp).toArray();
        double mass = Arrays.stream(p).sum();
        for (int i = 0; i < p.length; i++) {
            assertEquals(p[i] / mass, counts[i] / (double) draws, 0.01, "token " + i);
        }
        assertEquals(0, counts[3] + counts[4], "the tail outside top-p 0.95 is never drawn");
    }

    private static void assertOnlyNucleusDrawn(float[] logits, float topP) {
        float temperature = 0.7f;
        Set<Integer> nucleus = nucleus(logits, temperature, topP);
        Sampler sampler = new Sampler(new GenerationOptions(10, temperature, topP, 1f, 9L, false), VOCAB);
        Set<Integer> drawn = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            int id = sampler.next(logits.clone());
            assertTrue(nucleus.contains(id), "token " + id + " is outside the nucleus");
            drawn.add(id);
        }
        assertTrue(drawn.size() > 1, "a sampler, not an argmax");
    }

    @Test
    void greedyPicksTheFirstOfTheLargestAsOneScanDoes() {
        Random random = new Random(11);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f};
        for (int trial = 0; trial < 20_000; trial++) {
            float[] logits = new float[1 + random.nextInt(40)];
            for (int i = 0; i < logits.length; i++) {
                // few distinct values, so that ties fall in every one of the four interleaved scans
                logits[i] = random.nextInt(12) == 0 ? specials[random.nextInt(specials.length)] : random.nextInt(4);
            }
            assertEquals(oneScanArgmax(logits), Sampler.argmax(logits), Arrays.toString(logits));
        }
    }

    /** The greedy pick's definition: the first index whose logit no later one exceeds; NaN never exceeds. */
    private static int oneScanArgmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The nucleus the slow way: every token sorted by probability. */
    private static Set<Integer> nucleus(float[] logits, float temperature, float topP) {
        float max = logits[Sampler.argmax(logits)];
        double[] p = IntStream.range(0, logits.length).mapToDouble(i -> (float) Math.exp((logits[i] - max) / temperature)).toArray();
        double target = topP * Arrays.stream(p).sum();
        Integer[] order = IntStream.range(0, p.length).boxed().sorted((a, b) -> Double.compare(p[b], p[a])).toArray(Integer[]::new);
        Set<Integer> nucleus = new HashSet<>();
        double kept = 0;
        for (int i = 0; i < order.length && kept < target; i++) {
            kept += p[order[i]];
            nucleus.add(order[i]);
        }
        return nucleus;
    }

    private static float[] logits(Random random, float spread) {
        float[] logits = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            logits[i] = (float) random.nextGaussian() * spread;
        }
        return logits;
    }
}
