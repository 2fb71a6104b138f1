package io.glance.bench;

import io.glance.TestModels;
import io.glance.generation.Cancellation;
import io.glance.generation.DecoderCache;
import io.glance.generation.PositionIds;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * JMH: one decode step through the KV cache (embed the token, hand {@code present.*} back as
 * {@code past_key_values.*}, run the decoder, read the logits row); before each step, outside the measured
 * time, the cache is cut back to the prompt so every step sees the same length. The auxiliary counters add
 * up, per iteration, the time inside the decoder's {@code session.run} ({@code sessionRunMs}) and the steps
 * taken ({@code steps}): their ratio is the run's part of a step, the rest of the score the Java side. The
 * model is the tiny test model unless {@code -Dglance.bench.model=DIR} names another (the real-size perf
 * model, for instance); q4 unless {@code -Dglance.bench.dtype}. Run through {@code scripts/bench/jmh.sh}.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
public class DecodeStepBenchmark extends MicroBenchmark {
    private static final int PROMPT_TOKENS = 81;
    /** Every measured step decodes the token after the prompt. */
    private static final PositionIds NEXT_POSITION = PositionIds.consecutive(1, PROMPT_TOKENS, 1);

    private LoadedModel model;
    private DecoderCache cache;
    private float[] logits;
    private final Cancellation cancel = new Cancellation();

    /** Time inside the decoder's {@code session.run} and steps taken, summed over an iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class RunTime {
        public double sessionRunMs;
        public long steps;

        @Setup(Level.Iteration)
        public void reset() {
            sessionRunMs = 0;
            steps = 0;
        }
    }

    @Setup
    public void setUp() throws Exception {
        String dir = System.getProperty("glance.bench.model");
        Path folder = dir == null ? TestModels.tinyRandom() : Path.of(dir);
        Precision precision = Precision.parse(System.getProperty("glance.bench.dtype", "q4"));
        model = LoadedModel.load(folder, PrecisionSet.uniform(precision), Device.CPU,
                new CpuThreading(Runtime.getRuntime().availableProcessors(), CpuThreading.COMMAND_LINE_SPINNING));
        cache = model.model().newCache();
        logits = new float[model.folder().textShape().vocabSize()];
        int[] prompt = new int[PROMPT_TOKENS];
        for (int i = 0; i < prompt.length; i++) {
            prompt[i] = 100 + i;
        }
        cache.append(prompt, null, PositionIds.consecutive(1, 0, prompt.length), logits, cancel);
    }

    @TearDown
    public void tearDown() {
        cache.close();
        model.close();
    }

    /** Not measured: JMH times each invocation apart from this (fine for steps of a millisecond or more). */
    @Setup(Level.Invocation)
    public void cutBackToThePrompt() throws Exception {
        cache.truncate(PROMPT_TOKENS);
    }

    @Benchmark
    public float decodeOneToken(RunTime runTime) throws Exception {
        cache.append(new int[] {42}, null, NEXT_POSITION, logits, cancel);
        runTime.sessionRunMs += cache.lastDecoderRunNanos() / 1e6;
        runTime.steps++;
        return logits[0];
    }
}
