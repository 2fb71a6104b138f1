package io.glance.bench;

import io.glance.TestModels;
import io.glance.prompt.StreamingDetokenizer;
import io.glance.prompt.TextTokenizer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * JMH: the streaming detokenizer's cost per generated token, with the real SmolVLM tokenizer, over a
 * 64-token answer that mixes words, punctuation, digits and a multi-byte character. Run through
 * {@code scripts/bench/jmh.sh}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetokenizeBenchmark extends MicroBenchmark {
    private static final int TOKENS = 64;
    private static final String ANSWER = "The plant's lower leaves are yellow with brown edges, which usually means "
            + "it gets too much water: let the top 2–3 cm of soil dry before watering again, and check that the pot "
            + "drains. Café-style lighting is fine; 12 hours a day is plenty for a pothos like this one. Trim the "
            + "damaged leaves close to the stem with clean scissors, and feed it once a month in spring and summer.";

    private TextTokenizer tokenizer;
    private int[] answer;

    @Setup
    public void setUp() throws Exception {
        tokenizer = TextTokenizer.load(TestModels.referenceConfigs().resolve("tokenizer.json"));
        int[] ids = tokenizer.encodeText(ANSWER);
        if (ids.length < TOKENS) {
            throw new IllegalStateException("the answer is only " + ids.length + " tokens");
        }
        answer = Arrays.copyOf(ids, TOKENS);
    }

    @TearDown
    public void tearDown() {
        tokenizer.close();
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public void streamAnswer(Blackhole text) {
        StreamingDetokenizer detokenizer = new StreamingDetokenizer(tokenizer);
        for (int id : answer) {
            text.consume(detokenizer.accept(id));
        }
        text.consume(detokenizer.flush());
    }
}
