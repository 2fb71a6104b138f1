package io.glance.onnx.fusion;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.OperatorSetIdProto;
import io.glance.onnx.proto.Onnx.TensorProto;
import io.glance.onnx.proto.Onnx.TensorShapeProto;
import io.glance.onnx.proto.Onnx.TypeProto;
import io.glance.onnx.proto.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.glance.onnx.fusion.KernelTesting.ENV;
import static io.glance.onnx.fusion.KernelTesting.assertSameWithin;
import static io.glance.onnx.fusion.KernelTesting.attribute;
import static io.glance.onnx.fusion.KernelTesting.session;
import static io.glance.onnx.fusion.KernelTesting.tensor;
import static io.glance.onnx.fusion.KernelTesting.usableLibrary;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Glance's {@code io.glance.CachedAttention} against ONNX Runtime's GroupQueryAttention (packed QKV, its own rotary
 * embedding) on the same inputs: a prompt, then steps, with the cache shared between past and present in place (as
 * the engine binds it) and with a present that grows by each run's rows; heads of 16 to 128 floats, one to three
 * query heads per key head, prompts on one thread and on several; rotary tables of the run's rows (M-RoPE's way)
 * against tables of positions; and inputs it does not take.
 */
class CachedAttentionTest {
    /** Rows the rotary tables and the shared caches have room for. */
    private static final int POSITIONS = 96;

    @Test
    void aPromptAndItsStepsGiveGroupQueryAttentionsResultsInTheSharedCache() throws Exception {
        assertSameAsGroupQueryAttention(new Shape(9, 3, 64), 37, true);
        assertSameAsGroupQueryAttention(new Shape(4, 2, 16), 5, true);
        assertSameAsGroupQueryAttention(new Shape(2, 1, 128), 3, true);
        assertSameAsGroupQueryAttention(new Shape(6, 6, 32), 20, true);
    }

    @Test
    void withoutASharedCacheThePresentIsThePastAndTheNewRows() throws Exception {
        assertSameAsGroupQueryAttention(new Shape(9, 3, 64), 37, false);
        assertSameAsGroupQueryAttention(new Shape(4, 2, 16), 1, false);
    }

    @Test
    void rotaryTablesOfTheRunsRowsGiveWhatTablesOfAllPositionsGive() throws Exception {
        Path library = usableLibrary();
        for (Shape shape : List.of(new Shape(9, 3, 64), new Shape(4, 2, 16))) {
            List<float[]> runs = prompt(shape, 21, new SplittableRandom(shape.headSize()));
            Outcome expected = shape.run(shape.model(Kind.CACHED), library, runs, true);
            Outcome actual = shape.run(shape.model(Kind.CACHED_ROWS_ROTARY), library, runs, true);
            for (int i = 0; i < runs.size(); i++) {
                assertArrayEquals(expected.attention.get(i), actual.attention.get(i), shape + ", run " + i);
            }
            assertArrayEquals(expected.keys, actual.keys, shape + ", keys");
        }
    }

    @Test
    void aHeadSizeTheKernelDoesNotTakeIsAnErrorNotACrash() throws Exception {
        assertRunFails(new Shape(2, 1, 8), 2, 2, "head size 8");
    }

    @Test
    void moreRowsThanTheCacheLengthSaysIsAnErrorNotACrash() throws Exception {
        assertRunFails(new Shape(4, 2, 16), 5, 3, "3 positions after this run of 5 rows");
    }

    /** A run of {@code rows} rows of zeros, {@code total} positions after it, fails with {@code message}. */
    private static void assertRunFails(Shape shape, int rows, int total, String message) throws Exception {
        try (OrtSession session = session(shape.model(Kind.CACHED).toByteArray(), usableLibrary());
             Run run = Run.of(shape, new float[shape.width() * rows], rows, 0, total)) {
            OrtException error = assertThrows(OrtException.class, () -> session.run(run.inputs).close());
            assertTrue(error.getMessage().contains(message), error.getMessage());
        }
    }

    /**
     * A prompt of {@code promptRows}, then 4 steps, through both operators: the attention of every run and, at the
     * end, the cache's rows in use agree within 1e-5 of the largest value.
     */
    private static void assertSameAsGroupQueryAttention(Shape shape, int promptRows, boolean shared) throws Exception {
        Path library = usableLibrary();
        List<float[]> runs = prompt(shape, promptRows, new SplittableRandom(shape.width() * 31L + promptRows));
        String what = shape + ", prompt of " + promptRows + (shared ? ", shared cache" : ", growing cache");
        Outcome expected = shape.run(shape.model(Kind.GROUP_QUERY), null, runs, shared);
        Outcome actual = shape.run(shape.model(Kind.CACHED), library, runs, shared);
        for (int i = 0; i < runs.size(); i++) {
            assertSameWithin(expected.attention.get(i), actual.attention.get(i), 1e-5f, what + ", run " + i);
        }
        assertSameWithin(expected.keys, actual.keys, 1e-5f, what + ", keys");
        assertSameWithin(expected.values, actual.values, 1e-5f, what + ", values");
    }

    /** The QKV of a prompt of {@code promptRows} rows, then of 4 steps. */
    private static List<float[]> prompt(Shape shape, int promptRows, SplittableRandom random) {
        List<float[]> runs = new ArrayList<>();
        runs.add(randoms(promptRows * shape.width(), random));
        for (int step = 0; step < 4; step++) {
            runs.add(randoms(shape.width(), random));
        }
        return runs;
    }

    private static float[] randoms(int count, SplittableRandom random) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-2, 2);
        }
        return values;
    }

    /** Each run's attention, and the cache's rows in use at the end ([heads][positions][head size]). */
    private record Outcome(List<float[]> attention, float[] keys, float[] values) {
    }

    /** The operator under test: ONNX Runtime's, or Glance's with rotary tables of positions or of the run's rows. */
    private enum Kind {
        GROUP_QUERY, CACHED, CACHED_ROWS_ROTARY
    }

    /** Heads, key heads and head size of one attention layer. */
    private record Shape(int heads, int kvHeads, int headSize) {
        int width() {
            return (heads + 2 * kvHeads) * headSize;
        }

        /**
         * One attention node of {@code kind} over the rotary tables: initializers of every position, or inputs holding
         * the run's rows ({@link Kind#CACHED_ROWS_ROTARY}).
         */
        ModelProto model(Kind kind) {
            List<String> inputs = new ArrayList<>(List.of("qkv"));
            if (kind == Kind.GROUP_QUERY) {
                inputs.addAll(List.of("", ""));
            }
            inputs.addAll(List.of("past_key", "past_value", "seqlens_k", "total_sequence_length", "cos", "sin"));
            NodeProto.Builder node = NodeProto.newBuilder().addAllInput(inputs)
                    .addAllOutput(List.of("attention", "present_key", "present_value"))
                    .addAttribute(attribute("num_heads", heads)).addAttribute(attribute("kv_num_heads", kvHeads));
            if (kind == Kind.GROUP_QUERY) {
                node.setDomain("com.microsoft").setOpType("GroupQueryAttention").addAttribute(attribute("do_rotary", 1));
            } else {
                node.setDomain(FusedDecoderGraph.GLANCE_DOMAIN).setOpType(FusedDecoderGraph.ATTENTION_OPERATOR)
                        .addAttribute(attribute("rows_rotary", kind == Kind.CACHED_ROWS_ROTARY ? 1 : 0));
            }
            GraphProto.Builder graph = GraphProto.newBuilder().setName("attention").addNode(node)
                    .addInput(value("qkv", TensorProto.DataType.FLOAT_VALUE, 3))
                    .addInput(value("past_key", TensorProto.DataType.FLOAT_VALUE, 4))
                    .addInput(value("past_value", TensorProto.DataType.FLOAT_VALUE, 4))
                    .addInput(value("seqlens_k", TensorProto.DataType.INT32_VALUE, 1))
                    .addInput(value("total_sequence_length", TensorProto.DataType.INT32_VALUE, 0))
                    .addOutput(value("attention", TensorProto.DataType.FLOAT_VALUE, 3))
                    .addOutput(value("present_key", TensorProto.DataType.FLOAT_VALUE, 4))
                    .addOutput(value("present_value", TensorProto.DataType.FLOAT_VALUE, 4));
            if (kind == Kind.CACHED_ROWS_ROTARY) {
                graph.addInput(value("cos", TensorProto.DataType.FLOAT_VALUE, 2))
                        .addInput(value("sin", TensorProto.DataType.FLOAT_VALUE, 2));
            } else {
                graph.addInitializer(rotaryTable("cos", true)).addInitializer(rotaryTable("sin", false));
            }
            return ModelProto.newBuilder().setIrVersion(8)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(kind == Kind.GROUP_QUERY ? "com.microsoft"
                            : FusedDecoderGraph.GLANCE_DOMAIN).setVersion(1))
                    .setGraph(graph).build();
        }

        private TensorProto rotaryTable(String name, boolean cos) {
            ByteBuffer table = ByteBuffer.allocate(POSITIONS * headSize / 2 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            table.asFloatBuffer().put(angles(0, POSITIONS, cos));
            return tensor(name, TensorProto.DataType.FLOAT_VALUE, ByteString.copyFrom(table), POSITIONS, headSize / 2);
        }

        /** cos (or sin) of the angles of positions [from, from + count), head size / 2 of them each. */
        float[] angles(int from, int count, boolean cos) {
            int half = headSize / 2;
            float[] values = new float[count * half];
            for (int position = from; position < from + count; position++) {
                for (int j = 0; j < half; j++) {
                    double angle = position * Math.pow(10000, -2.0 * j / headSize);
                    values[(position - from) * half + j] = (float) (cos ? Math.cos(angle) : Math.sin(angle));
                }
            }
            return values;
        }

        private static ValueInfoProto value(String name, int type, int rank) {
            TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
            for (int axis = 0; axis < rank; axis++) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(name + "_" + axis));
            }
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
        }

        /**
         * {@code runs} through {@code model}: shared, past and present are one buffer of {@link #POSITIONS} rows
         * per head; otherwise each run's present is the next run's past.
         */
        Outcome run(ModelProto model, Path library, List<float[]> runs, boolean shared) throws Exception {
            List<float[]> attention = new ArrayList<>();
            int rows = shared ? POSITIONS : 0;
            float[] keys = new float[0];
            float[] values = new float[0];
            int length = 0;
            try (OrtSession session = session(model.toByteArray(), library)) {
                for (float[] qkv : runs) {
                    int newRows = qkv.length / width();
                    try (Run run = Run.of(this, qkv, newRows, rows, length + newRows)) {
                        run.past(this, rows, keys, values);
                        if (session.getInputNames().contains("cos")) {
                            run.rotaryRows(this, length, newRows);
                        }
                        Map<String, OnnxValue> pinned = new HashMap<>();
                        if (shared) {
                            pinned.put("present_key", run.inputs.get("past_key"));
                            pinned.put("present_value", run.inputs.get("past_value"));
                        }
                        try (OrtSession.Result result = session.run(run.inputs,
                                shared ? Set.of("attention") : Set.of("attention", "present_key", "present_value"), pinned)) {
                            attention.add(floats((OnnxTensor) result.get("attention").orElseThrow()));
                            OnnxTensor presentKey = shared ? run.inputs.get("past_key") : (OnnxTensor) result.get("present_key").orElseThrow();
                            OnnxTensor presentValue = shared ? run.inputs.get("past_value") : (OnnxTensor) result.get("present_value").orElseThrow();
                            rows = (int) presentKey.getInfo().getShape()[2];
                            keys = floats(presentKey);
                            values = floats(presentValue);
                        }
                    }
                    length += newRows;
                }
            }
            assertEquals(shared ? POSITIONS : length, rows);
            return new Outcome(attention, rowsInUse(keys, rows, length), rowsInUse(values, rows, length));
        }

        private float[] rowsInUse(float[] cache, int rows, int length) {
            float[] used = new float[kvHeads * length * headSize];
            for (int g = 0; g < kvHeads; g++) {
                System.arraycopy(cache, g * rows * headSize, used, g * length * headSize, length * headSize);
            }
            return used;
        }
    }

    private static float[] floats(OnnxTensor tensor) {
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    /** The inputs of one run: qkv of {@code newRows} rows, a past of {@code pastRows}, {@code total} positions after it. */
    private static final class Run implements AutoCloseable {
        final Map<String, OnnxTensor> inputs = new HashMap<>();
        private ByteBuffer keys;
        private ByteBuffer values;

        static Run of(Shape shape, float[] qkv, int newRows, int pastRows, int total) throws OrtException {
            Run run = new Run();
            run.inputs.put("qkv", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(qkv), new long[] {1, newRows, shape.width()}));
            run.inputs.put("seqlens_k", OnnxTensor.createTensor(ENV, IntBuffer.wrap(new int[] {total - 1}), new long[] {1}));
            run.inputs.put("total_sequence_length", OnnxTensor.createTensor(ENV, IntBuffer.wrap(new int[] {total}), new long[0]));
            run.past(shape, pastRows, new float[0], new float[0]);
            return run;
        }

        /** Past key and value of {@code rows} rows per head, starting with {@code keys} and {@code values}. */
        void past(Shape shape, int rows, float[] keys, float[] values) throws OrtException {
            long[] dims = {1, shape.kvHeads(), rows, shape.headSize()};
            int bytes = shape.kvHeads() * rows * shape.headSize() * Float.BYTES;
            this.keys = ByteBuffer.allocateDirect(Math.max(bytes, 4)).order(ByteOrder.nativeOrder());
            this.values = ByteBuffer.allocateDirect(Math.max(bytes, 4)).order(ByteOrder.nativeOrder());
            this.keys.asFloatBuffer().put(keys);
            this.values.asFloatBuffer().put(values);
            replace("past_key", OnnxTensor.createTensor(ENV, this.keys.asFloatBuffer().limit(bytes / Float.BYTES), dims));
            replace("past_value", OnnxTensor.createTensor(ENV, this.values.asFloatBuffer().limit(bytes / Float.BYTES), dims));
        }

        /** The rotary tables of the run's rows, positions [from, from + rows). */
        void rotaryRows(Shape shape, int from, int rows) throws OrtException {
            long[] dims = {rows, shape.headSize() / 2};
            replace("cos", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(shape.angles(from, rows, true)), dims));
            replace("sin", OnnxTensor.createTensor(ENV, FloatBuffer.wrap(shape.angles(from, rows, false)), dims));
        }

        private void replace(String name, OnnxTensor tensor) {
            OnnxTensor old = inputs.put(name, tensor);
            if (old != null) {
                old.close();
            }
        }

        @Override
        public void close() {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
