package io.glance.bench;

import io.glance.generation.GenerationOptions;
import io.glance.generation.Sampler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * JMH: choosing the next token from SmolVLM's 49280 logits as each decode step does (copy the logits row,
 * then pick): greedy (the default), greedy with the repetition penalty over a 100-token history, and
 * temperature 0.7 with top-p 0.9. Run through {@code scripts/bench/jmh.sh}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SamplerBenchmark extends MicroBenchmark {
    private static final int VOCAB = 49280;

    @Param({"greedy", "penalty", "top-p"})
    String mode;

    private Sampler sampler;
    private float[] lastRow;
    private final float[] logits = new float[VOCAB];

    @Setup
    public void setUp() {
        GenerationOptions options = switch (mode) {
            case "greedy" -> new GenerationOptions(256, 0f, 1f, 1f, 7L, false);
            case "penalty" -> new GenerationOptions(256, 0f, 1f, 1.2f, 7L, false);
            case "top-p" -> new GenerationOptions(256, 0.7f, 0.9f, 1f, 7L, false);
            default -> throw new IllegalArgumentException(mode);
        };
        sampler = new Sampler(options, VOCAB);
        Random random = new Random(7);
        lastRow = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            lastRow[i] = (float) random.nextGaussian() * 4;
        }
        for (int i = 0; i < 100; i++) {
            sampler.observe(random.nextInt(VOCAB));
        }
    }

    @Benchmark
    public int nextToken() {
        System.arraycopy(lastRow, 0, logits, 0, VOCAB);
        return sampler.next(logits);
    }
}
