package io.glance.onnx.fusion;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.glance.onnx.NativeKernels;
import io.glance.onnx.proto.Onnx.GraphProto;
import io.glance.onnx.proto.Onnx.ModelProto;
import io.glance.onnx.proto.Onnx.NodeProto;
import io.glance.onnx.proto.Onnx.OperatorSetIdProto;
import io.glance.onnx.proto.Onnx.TensorProto;
import io.glance.onnx.proto.Onnx.TensorShapeProto;
import io.glance.onnx.proto.Onnx.TypeProto;
import io.glance.onnx.proto.Onnx.ValueInfoProto;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.glance.onnx.fusion.KernelTesting.ENV;
import static io.glance.onnx.fusion.KernelTesting.assertSameWithin;
import static io.glance.onnx.fusion.KernelTesting.attribute;
import static io.glance.onnx.fusion.KernelTesting.session;
import static io.glance.onnx.fusion.KernelTesting.tensor;
import static io.glance.onnx.fusion.KernelTesting.usableLibrary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Glance's {@code io.glance.MatMulQ4Tiles} against ONNX Runtime's MatMulNBits on the same 4-bit weights: one row (the
 * table kernel), several rows with and without a remainder of the panel's 6 (the panel kernel), outputs that do not
 * fill the last tile, blocks of 32 and 64; and the tile layout itself, word by word.
 */
class TileKernelTest {
    @Test
    void theLibraryIsBuiltForThisPlatformAndRegistersWhereTheCpuHasAvx512() throws IOException {
        boolean linuxX64 = System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").equals("amd64");
        if (!linuxX64) {
            assertTrue(NativeKernels.usable().isEmpty(), "no kernels outside Linux x86-64");
            return;
        }
        assumeTrue(hasCCompiler(), "no C compiler on this machine, so the build made no kernel library");
        assertNotNull(getClass().getClassLoader().getResource(NativeKernels.RESOURCE), "the build compiles the kernels on Linux x86-64");
        boolean avx512 = Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512f");
        assertEquals(avx512, NativeKernels.usable().isPresent(), NativeKernels.unusedReason());
        if (!avx512) {
            assertTrue(NativeKernels.unusedReason().contains("AVX-512"), NativeKernels.unusedReason());
        }
    }

    @Test
    void oneRowAndManyRowsGiveMatMulNBitsResults() throws Exception {
        for (int rows : new int[] {1, 2, 6, 13}) {
            assertSameProducts(rows, 64, 40, 32, 7L * rows);
        }
        assertSameProducts(1, 128, 16, 64, 99);
        assertSameProducts(9, 128, 33, 64, 100);
    }

    @Test
    void aGatedLayerGivesSiluOfTheGateTimesUpAsTheSeparateOperatorsDo() throws Exception {
        Path library = usableLibrary();
        for (int rows : new int[] {1, 7, 13}) {
            SplittableRandom random = new SplittableRandom(40L + rows);
            Layer layer = Layer.random(64, 96, 32, random);
            float[] a = new float[rows * 64];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) random.nextDouble(-2, 2);
            }
            float[] expected = run(layer.publishedGatedModel(), null, a, rows, 64);
            float[] actual = run(layer.tiledModel(0, true), library, a, rows, 64);
            assertEquals(rows * 48, expected.length);
            assertSameWithin(expected, actual, 1e-5f, rows + " rows, gated");
        }
    }

    @Test
    void inputsOfTheWrongWidthAreAnErrorNotACrash() throws Exception {
        Path library = usableLibrary();
        Layer layer = Layer.random(64, 16, 32, new SplittableRandom(5));
        try (OrtSession session = session(layer.tiledModel().toByteArray(), library);
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(32), new long[] {1, 1, 32})) {
            OrtException error = assertThrows(OrtException.class, () -> session.run(Map.of("a", input)).close());
            assertTrue(error.getMessage().contains("32 columns"), error.getMessage());
        }
    }

    @Test
    void tilesShorterThanTheLayerAreAnErrorNotACrash() throws Exception {
        Path library = usableLibrary();
        Layer layer = Layer.random(64, 16, 32, new SplittableRandom(6));
        try (OrtSession session = session(layer.tiledModel(64, false).toByteArray(), library);
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.allocate(64), new long[] {1, 1, 64})) {
            OrtException error = assertThrows(OrtException.class, () -> session.run(Map.of("a", input)).close());
            assertTrue(error.getMessage().contains("448 bytes of tiles"), error.getMessage());
        }
    }

    @Test
    void tilesHoldSixteenOutputsFourBytesAtATime() {
        // outputs 0..16 (two tiles, the second holding one output), 32 inputs: 16 bytes per output
        ByteBuffer published = ByteBuffer.allocate(17 * 16);
        for (int output = 0; output < 17; output++) {
            for (int i = 0; i < 16; i++) {
                published.put((byte) (output * 16 + i));
            }
        }
        ByteBuffer tiled = TileLayout.weights(ByteString.copyFrom(published.array()), 32, 17, false)
                .asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(2 * 4 * 16 * 4, tiled.remaining());
        // tile 0, group 1 (inputs 8..15), lane 3 (output 3): output 3's bytes 4..7
        assertEquals(bytes(3 * 16 + 4), tiled.getInt((1 * 16 + 3) * 4));
        // tile 1, group 2, lane 0 (output 16): its bytes 8..11; lane 1 is past the outputs
        assertEquals(bytes(16 * 16 + 8), tiled.getInt(((4 + 2) * 16) * 4));
        assertEquals(0, tiled.getInt(((4 + 2) * 16 + 1) * 4));
    }

    /** Whether gcc or cc is on the PATH (native/kernels/build.sh builds the library with it). */
    private static boolean hasCCompiler() {
        String cc = System.getenv("CC");
        return cc != null && !cc.isBlank() || java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "gcc")) || Files.isExecutable(Path.of(dir, "cc")));
    }

    /** The little-endian word of the four bytes first, first + 1, … (each byte value its index, modulo 256). */
    private static int bytes(int first) {
        return ByteBuffer.wrap(new byte[] {(byte) first, (byte) (first + 1), (byte) (first + 2), (byte) (first + 3)})
                .order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static void assertSameProducts(int rows, int inputs, int outputs, int blockSize, long seed) throws Exception {
        Path library = usableLibrary();
        SplittableRandom random = new SplittableRandom(seed);
        Layer layer = Layer.random(inputs, outputs, blockSize, random);
        float[] a = new float[rows * inputs];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        float[] expected = run(layer.publishedModel(), null, a, rows, inputs);
        float[] actual = run(layer.tiledModel(), library, a, rows, inputs);
        assertEquals(rows * outputs, actual.length);
        assertSameWithin(expected, actual, 1e-5f, rows + " rows, " + inputs + " × " + outputs);
    }

    private static float[] run(ModelProto model, Path library, float[] a, int rows, int inputs) throws Exception {
        try (OrtSession session = session(model.toByteArray(), library);
             OnnxTensor input = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(a), new long[] {1, rows, inputs});
             OrtSession.Result result = session.run(Map.of("a", input))) {
            FloatBuffer y = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[y.remaining()];
            y.get(values);
            return values;
        }
    }

    /** Random symmetric 4-bit weights and scales in MatMulNBits' layout. */
    private record Layer(int inputs, int outputs, int blockSize, ByteString weights, ByteString scales) {
        static Layer random(int inputs, int outputs, int blockSize, SplittableRandom random) {
            byte[] weights = new byte[outputs * inputs / 2];
            random.nextBytes(weights);
            ByteBuffer scales = ByteBuffer.allocate(outputs * (inputs / blockSize) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (scales.hasRemaining()) {
                scales.putFloat((float) random.nextDouble(0.01, 0.1));
            }
            return new Layer(inputs, outputs, blockSize, ByteString.copyFrom(weights), ByteString.copyFrom(scales.flip()));
        }

        ModelProto publishedModel() {
            return model(List.of(matMulNBits("y")), "com.microsoft", outputs, publishedWeights(), publishedScales());
        }

        private NodeProto matMulNBits(String output) {
            return NodeProto.newBuilder().setOpType("MatMulNBits").setDomain("com.microsoft")
                    .addInput("a").addInput("w").addInput("s").addOutput(output)
                    .addAttribute(attribute("K", inputs)).addAttribute(attribute("N", outputs))
                    .addAttribute(attribute("bits", 4)).addAttribute(attribute("block_size", blockSize)).build();
        }

        private TensorProto publishedWeights() {
            return tensor("w", TensorProto.DataType.UINT8_VALUE, weights, outputs, inputs / blockSize, blockSize / 2);
        }

        private TensorProto publishedScales() {
            return tensor("s", TensorProto.DataType.FLOAT_VALUE, scales, (long) outputs * (inputs / blockSize));
        }

        ModelProto tiledModel() {
            return tiledModel(0, false);
        }

        /**
         * The layer on the tile kernel, its tiles {@code missingBytes} short (a damaged file); gated, its outputs
         * are gate then up and the node gives SiLU(gate) · up.
         */
        ModelProto tiledModel(int missingBytes, boolean gated) {
            ByteString tiles = TileLayout.weights(weights, inputs, outputs, gated);
            tiles = tiles.substring(0, tiles.size() - missingBytes);
            ByteString tileScales = TileLayout.scales(scales, inputs, outputs, blockSize, gated);
            NodeProto node = NodeProto.newBuilder().setOpType(FusedDecoderGraph.TILE_OPERATOR)
                    .setDomain(FusedDecoderGraph.GLANCE_DOMAIN).addInput("a").addInput("w").addInput("s").addOutput("y")
                    .addAttribute(attribute("K", inputs)).addAttribute(attribute("N", outputs))
                    .addAttribute(attribute("gated", gated ? 1 : 0)).build();
            return model(List.of(node), FusedDecoderGraph.GLANCE_DOMAIN, gated ? outputs / 2 : outputs,
                    tensor("w", TensorProto.DataType.UINT8_VALUE, tiles, tiles.size()),
                    tensor("s", TensorProto.DataType.FLOAT_VALUE, tileScales, tileScales.size() / Float.BYTES));
        }

        /** MatMulNBits, then Split into gate and up, and SiLU(gate) · up as the published decoders write it. */
        ModelProto publishedGatedModel() {
            long half = outputs / 2;
            List<NodeProto> nodes = List.of(matMulNBits("both"),
                    NodeProto.newBuilder().setOpType("Split").addInput("both").addInput("sizes").addOutput("gate")
                            .addOutput("up").addAttribute(attribute("axis", -1)).build(),
                    NodeProto.newBuilder().setOpType("Sigmoid").addInput("gate").addOutput("sigmoid").build(),
                    NodeProto.newBuilder().setOpType("Mul").addInput("gate").addInput("sigmoid").addOutput("silu").build(),
                    NodeProto.newBuilder().setOpType("Mul").addInput("silu").addInput("up").addOutput("y").build());
            ByteBuffer sizes = ByteBuffer.allocate(2 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(half).putLong(half);
            return model(nodes, "com.microsoft", half, publishedWeights(), publishedScales(),
                    tensor("sizes", TensorProto.DataType.INT64_VALUE, ByteString.copyFrom(sizes.flip()), 2));
        }

        private ModelProto model(List<NodeProto> nodes, String domain, long width, TensorProto... initializers) {
            GraphProto graph = GraphProto.newBuilder().setName("layer").addAllNode(nodes)
                    .addInput(value("a", "width")).addOutput(value("y", Long.toString(width)))
                    .addAllInitializer(List.of(initializers)).build();
            return ModelProto.newBuilder().setIrVersion(8)
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
                    .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(1))
                    .setGraph(graph).build();
        }

        /** [1, rows, width], the width a number or (for inputs, so that the operator sees a wrong one) a name. */
        private static ValueInfoProto value(String name, String width) {
            TensorShapeProto.Dimension last = width.chars().allMatch(Character::isDigit)
                    ? TensorShapeProto.Dimension.newBuilder().setDimValue(Long.parseLong(width)).build()
                    : TensorShapeProto.Dimension.newBuilder().setDimParam(width).build();
            TensorShapeProto shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1))
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("rows"))
                    .addDim(last).build();
            return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                    TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(shape))).build();
        }
    }
}
