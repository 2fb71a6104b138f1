package io.glance.onnx.fusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.model.TextModelShape;
import io.glance.onnx.NativeKernels;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk and the writer on the Qwen2-VL test model: biases on Q, K and V, and M-RoPE, whose three position rows
 * (temporal, height, width) differ for image tokens; the fused graph applies it to Q and K itself and must give the
 * published graph's logits for text positions (three equal rows) and for image-like ones.
 */
class QwenDecoderFusionTest {
    private static final int TOKENS = 5;

    @TempDir
    Path dir;

    @Test
    void biasesAndMultimodalRotaryGiveThePublishedLogits() throws Exception {
        Path model = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2-vl");
        Path published = model.resolve("onnx/decoder_model_merged.onnx");
        ModelFolder folder = ModelFolder.open(model);
        TextModelShape shape = folder.textShape();
        DecoderSettings settings = DecoderSettings.read(folder);
        assertEquals(List.of(2, 3, 3), settings.mropeSection());
        ModelProto proto = OnnxModelFile.read(published);
        GraphIndex index = new GraphIndex(proto.getGraph(), published.getParent());

        DecoderStructure structure = DecoderStructure.read(index, settings.layers(), settings.hidden());
        for (DecoderStructure.Layer layer : structure.layers()) {
            assertNotNull(layer.query().bias());
            assertNotNull(layer.key().bias());
            assertNotNull(layer.value().bias());
            assertNull(layer.out().bias());
        }
        List<Path> libraries = new ArrayList<>();
        libraries.add(null);
        NativeKernels.usable().ifPresent(libraries::add);
        for (Path library : libraries) {
            Path fused = dir.resolve(library == null ? "fused.onnx" : "fused-kernels.onnx");
            ModelProto fusedProto = FusedDecoderGraph.build(proto, index, structure, settings, -1, library != null);
            try (OutputStream out = Files.newOutputStream(fused)) {
                fusedProto.writeTo(out);
            }
            Set<String> operators = fusedProto.getGraph().getNodeList().stream().map(NodeProto::getOpType)
                    .collect(Collectors.toSet());
            String what = library == null ? "GroupQueryAttention, Q and K rotated before it" : "Glance's operators";
            if (library != null) {
                assertTrue(operators.contains(FusedDecoderGraph.ATTENTION_OPERATOR) && !operators.contains("Neg"),
                        "M-RoPE from a table of the run's rows, no rotation nodes: " + operators);
            }
            for (boolean imageLike : new boolean[] {false, true}) {
                float[] expected = lastLogits(published, null, shape, imageLike);
                float[] actual = lastLogits(fused, library, shape, imageLike);
                assertEquals(expected.length, actual.length);
                double largest = 0;
                double difference = 0;
                for (int i = 0; i < expected.length; i++) {
                    largest = Math.max(largest, Math.abs(expected[i]));
                    difference = Math.max(difference, Math.abs(expected[i] - actual[i]));
                }
                assertTrue(largest > 0 && difference / largest < 1e-4, what + ", " + (imageLike ? "image-like" : "text")
                        + " positions: relative difference " + difference / largest);
            }
        }
    }

    /**
     * The last position's logits of a prompt of random embeddings: positions 0..4 in all three rows (text), or rows
     * that differ as an image's do (time fixed, height and width running over a 2 × 3 grid).
     */
    private static float[] lastLogits(Path graph, Path library, TextModelShape shape, boolean imageLike) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        SplittableRandom random = new SplittableRandom(7);
        float[] embeddings = new float[TOKENS * shape.hiddenSize()];
        for (int i = 0; i < embeddings.length; i++) {
            embeddings[i] = (float) (random.nextDouble() * 2 - 1);
        }
        long[] positions = new long[3 * TOKENS];
        for (int i = 0; i < TOKENS; i++) {
            positions[i] = imageLike ? 1 : i;
            positions[TOKENS + i] = imageLike ? 1 + i / 3 : i;
            positions[2 * TOKENS + i] = imageLike ? 1 + i % 3 : i;
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (library != null) {
                options.registerCustomOpLibrary(library.toString());
            }
            return lastLogits(env.createSession(graph.toString(), options), shape, embeddings, positions);
        }
    }

    private static float[] lastLogits(OrtSession session, TextModelShape shape, float[] embeddings, long[] positions)
            throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] mask = {1, 1, 1, 1, 1};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try (session) {
            inputs.put("inputs_embeds", OnnxTensor.createTensor(env, FloatBuffer.wrap(embeddings),
                    new long[] {1, TOKENS, shape.hiddenSize()}));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), new long[] {1, TOKENS}));
            inputs.put("position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {3, 1, TOKENS}));
            for (int layer = 0; layer < shape.layers(); layer++) {
                for (String part : new String[] {"key", "value"}) {
                    inputs.put("past_key_values." + layer + "." + part, OnnxTensor.createTensor(env,
                            ByteBuffer.allocateDirect(0), new long[] {1, shape.kvHeads(), 0, shape.headDim()}, OnnxJavaType.FLOAT));
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer logits = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
                float[] last = new float[shape.vocabSize()];
                logits.position(logits.limit() - last.length);
                logits.get(last);
                return last;
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
