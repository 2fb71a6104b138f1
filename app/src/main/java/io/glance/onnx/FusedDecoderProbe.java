package io.glance.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.glance.model.TextModelShape;
import io.glance.onnx.fusion.DecoderFusion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * ONNX Runtime's part in {@link DecoderFusion}: runs a published decoder graph and its fused rewrite on the same probe: a prompt of {@link #PROMPT} random
 * embeddings, then one step that reads the cache the prompt left, and compares the logits of the last position of
 * each (all the engine reads). Each graph's own
 * cache feeds its own step, so a cache written in another layout or at other positions shows; and saves a graph
 * optimized, with its weights pre-packed for this CPU. Call on the loading thread; the sessions it opens are closed
 * before it returns.
 */
final class FusedDecoderProbe implements DecoderFusion.Check, DecoderFusion.Optimizer {
    /** Prompt length of the probe: more than one position, so attention and the rotary embedding matter. */
    static final int PROMPT = 7;
    private static final long SEED = 20_261_206L;
    private final OrtEnvironment env;
    private final TextModelShape shape;

    FusedDecoderProbe(OrtEnvironment env, TextModelShape shape) {
        this.env = env;
        this.shape = shape;
    }

    /** ONNX Runtime's version and, on Linux, the CPU's model and features: what pre-packed weights depend on. */
    String runtimeIdentity() {
        return "onnxruntime " + env.getVersion() + "; " + CpuIdentity.DESCRIPTION;
    }

    /** The CPU's model and features, read once per process (on Linux; elsewhere the architecture stands for it). */
    private static final class CpuIdentity {
        static final String DESCRIPTION = read();

        private static String read() {
            try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
                // x86 names its features "flags", ARM "Features"
                String described = lines.filter(line -> line.startsWith("model name") || line.startsWith("flags")
                        || line.startsWith("Features")).distinct().limit(2).collect(Collectors.joining("; "));
                return System.getProperty("os.arch") + (described.isEmpty() ? "" : "; " + described);
            } catch (IOException | UncheckedIOException e) {
                return System.getProperty("os.arch");
            }
        }
    }

    @Override
    public void saveOptimized(Path fused, Path optimized, String weightsFileName) throws OrtException {
        try (OrtSession.SessionOptions options = SessionSet.options(Device.CPU, 0, false)) {
            options.setOptimizedModelFilePath(optimized.toString());
            options.addConfigEntry("session.optimized_model_external_initializers_file_name", weightsFileName);
            options.addConfigEntry("session.optimized_model_external_initializers_min_size_in_bytes", "1024");
            options.addConfigEntry("session.save_external_prepacked_constant_initializers", "1");
            SessionSet.create(env, fused, options).close();
        }
    }

    @Override
    public double logitDifference(Path published, Path fused) throws OrtException {
        float[][] expected = run(published);
        float[][] actual = run(fused);
        double largest = 0;
        double difference = 0;
        int vocab = shape.vocabSize();
        for (int pass = 0; pass < expected.length; pass++) {
            // the last position's logits: a fused graph gives no others
            int expectedStart = expected[pass].length - vocab;
            int actualStart = actual[pass].length - vocab;
            for (int i = 0; i < vocab; i++) {
                largest = Math.max(largest, Math.abs(expected[pass][expectedStart + i]));
                difference = Math.max(difference, Math.abs(expected[pass][expectedStart + i] - actual[pass][actualStart + i]));
            }
        }
        return difference / Math.max(largest, Float.MIN_NORMAL);
    }

    /** The logits of the probe prompt and of the step after it. */
    private float[][] run(Path graph) throws OrtException {
        try (OrtSession.SessionOptions options = SessionSet.options(Device.CPU, 0, false);
             OrtSession session = SessionSet.create(env, graph, options)) {
            Map<String, OnnxTensor> past = emptyCache();
            float[] prompt;
            Map<String, OnnxTensor> present;
            try (OrtSession.Result result = run(session, PROMPT, 0, past)) {
                prompt = logits(result);
                present = cacheOf(result);
            } finally {
                past.values().forEach(OnnxTensor::close);
            }
            try (OrtSession.Result result = run(session, 1, PROMPT, present)) {
                return new float[][] {prompt, logits(result)};
            } finally {
                present.values().forEach(OnnxTensor::close);
            }
        }
    }

    private OrtSession.Result run(OrtSession session, int tokens, int pastLength, Map<String, OnnxTensor> past)
            throws OrtException {
        SplittableRandom random = new SplittableRandom(SEED + pastLength);
        float[] embeddings = new float[tokens * shape.hiddenSize()];
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = (float) (random.nextDouble() * 2 - 1);
        }
        long[] mask = new long[pastLength + tokens];
        java.util.Arrays.fill(mask, 1);
        // one row of positions, or M-RoPE's three (temporal, height, width), made to differ as an image's do
        int rows = ((TensorInfo) session.getInputInfo().get("position_ids").getInfo()).getShape().length == 3 ? 3 : 1;
        long[] positions = new long[rows * tokens];
        for (int row = 0; row < rows; row++) {
            for (int i = 0; i < tokens; i++) {
                positions[row * tokens + i] = pastLength + (row == 0 ? i : (row == 1 ? i / 3 : i % 3));
            }
        }
        long[] positionShape = rows == 3 ? new long[] {3, 1, tokens} : new long[] {1, tokens};
        Map<String, OnnxTensor> inputs = new HashMap<>(past);
        try (OnnxTensor embeds = OnnxTensor.createTensor(env, FloatBuffer.wrap(embeddings), new long[] {1, tokens, shape.hiddenSize()});
             OnnxTensor attention = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, mask.length});
             OnnxTensor positionIds = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), positionShape)) {
            inputs.put("inputs_embeds", embeds);
            inputs.put("attention_mask", attention);
            inputs.put("position_ids", positionIds);
            return OrtShutdownGuard.call(() -> session.run(inputs));
        }
    }

    private Map<String, OnnxTensor> emptyCache() throws OrtException {
        Map<String, OnnxTensor> cache = new HashMap<>();
        long[] empty = {1, shape.kvHeads(), 0, shape.headDim()};
        for (int layer = 0; layer < shape.layers(); layer++) {
            for (String part : new String[] {"key", "value"}) {
                cache.put("past_key_values." + layer + "." + part,
                        OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), empty, OnnxJavaType.FLOAT));
            }
        }
        return cache;
    }

    /** The result's {@code present.*} tensors, copied under the names of the next step's inputs. */
    private Map<String, OnnxTensor> cacheOf(OrtSession.Result result) throws OrtException {
        Map<String, OnnxTensor> cache = new HashMap<>();
        for (int layer = 0; layer < shape.layers(); layer++) {
            for (String part : new String[] {"key", "value"}) {
                OnnxTensor present = (OnnxTensor) result.get("present." + layer + "." + part).orElseThrow();
                cache.put("past_key_values." + layer + "." + part,
                        OnnxTensor.createTensor(env, present.getFloatBuffer(), present.getInfo().getShape()));
            }
        }
        return cache;
    }

    private static float[] logits(OrtSession.Result result) throws OrtException {
        FloatBuffer values = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
        float[] logits = new float[values.remaining()];
        values.get(logits);
        return logits;
    }
}
