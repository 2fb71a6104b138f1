package io.glance.onnx;

import ai.onnxruntime.OrtEnvironment;
import io.glance.TestModels;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.DecoderCache;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.ImageDetail;
import io.glance.generation.PositionIds;
import io.glance.generation.Sampler;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.onnx.fusion.DecoderChoice;
import io.glance.onnx.fusion.DecoderFusion;
import io.glance.onnx.fusion.DecoderGraph;
import io.glance.onnx.proto.Onnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The fused decoder on the tiny test model: the same tokens as the published graph, its cache kept in place with
 * the logits of one that grows every step, built once into the cache,
 * refused (with the reason, remembered) where the rewrite does not apply or its logits do not match, int8
 * arithmetic only when asked, and a broken cached graph falling back to the published one.
 */
class FusedDecoderTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path dir;

    @Test
    void theFusedGraphAnswersWithThePublishedGraphsTokensInFp32AndQ4() throws Exception {
        for (Precision precision : List.of(Precision.FP32, Precision.Q4)) {
            int[][] published = answers(TestModels.tinyRandom(), precision, DecoderChoice.PUBLISHED, "published");
            int[][] fused = answers(TestModels.tinyRandom(), precision, DecoderChoice.FUSED, "fused");
            for (int turn = 0; turn < published.length; turn++) {
                assertEquals(24, published[turn].length);
                assertArrayEquals(published[turn], fused[turn], precision + ", turn " + turn);
            }
        }
    }

    @Test
    void theCacheKeptInPlaceGivesTheLogitsOfTheCacheThatGrowsEveryStep() throws Exception {
        // one KV head and one row of positions; two KV heads (so each head's rows must land in their own place)
        // and M-RoPE's three rows
        inPlaceAgainstGrowing(TestModels.tinyRandom(), 1);
        inPlaceAgainstGrowing(TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2-vl"), 3);
    }

    private static void inPlaceAgainstGrowing(Path model, int positionRows) throws Exception {
        try (LoadedModel loaded = load(model, Precision.Q4, DecoderChoice.FUSED);
             DecoderCache inPlace = loaded.model().newCache(true);
             DecoderCache growing = loaded.model().newCache(false)) {
            assertEquals("fused", loaded.model().decoderGraph().kind(), loaded.model().decoderGraph().note());
            ModelFolder folder = loaded.folder();
            int vocab = folder.textShape().vocabSize();
            // a prompt of two prefill chunks, then steps past the capacity it was given: the buffers grow
            int[] prompt = textIds(200, 7, vocab, folder.imageTokenId());
            int round = SharedKvBuffers.ROUND;
            int firstCapacity = (prompt.length + round - 1) / round * round;
            float[] expected = new float[vocab];
            float[] actual = new float[vocab];
            appendBoth(growing, inPlace, prompt, positionRows, expected, actual);
            while (inPlace.length() < firstCapacity + 8) {
                appendBoth(growing, inPlace, new int[] {Sampler.argmax(expected)}, positionRows, expected, actual);
            }
            // shortened (a follow-up that keeps a prefix), then a new turn written over the old rows
            growing.truncate(150);
            inPlace.truncate(150);
            int[] newTurn = textIds(40, 11, vocab, folder.imageTokenId());
            appendBoth(growing, inPlace, newTurn, positionRows, expected, actual);
            appendBoth(growing, inPlace, new int[] {Sampler.argmax(expected)}, positionRows, expected, actual);
            assertEquals(191, inPlace.length());
            assertArrayEquals(growing.tokens(), inPlace.tokens());
        }
    }

    /** Appends {@code ids} to both caches and checks that their logits are the same, bit for bit. */
    private static void appendBoth(DecoderCache reference, DecoderCache tested, int[] ids, int positionRows,
                                   float[] expected, float[] actual) throws Exception {
        PositionIds positions = PositionIds.consecutive(positionRows, reference.length(), ids.length);
        reference.append(ids, null, positions, expected, new Cancellation());
        tested.append(ids, null, positions, actual, new Cancellation());
        assertArrayEquals(expected, actual, "after " + tested.length() + " tokens");
    }

    /** {@code count} token ids spread over the vocabulary, none of them the image token. */
    private static int[] textIds(int count, int stride, int vocab, int imageToken) {
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            int id = 1 + (i * stride) % (vocab - 2);
            ids[i] = id == imageToken ? id + 1 : id;
        }
        return ids;
    }

    @Test
    void theFusedGraphIsMadeOfTheFusedOperatorsAndKeepsThePublishedInputsAndOutputs() throws Exception {
        Path published = decoder(TestModels.tinyRandom(), "_q4");
        DecoderGraph graph = prepare(TestModels.tinyRandom(), published, DecoderChoice.FUSED, probe(TestModels.tinyRandom()));
        assertEquals("fused", graph.kind(), graph.note());
        assertTrue(graph.note().contains("(weights pre-packed) and checked"), graph.note());
        Onnx.ModelProto fused = read(graph.file());
        Onnx.ModelProto original = read(published);
        Set<String> operators = fused.getGraph().getNodeList().stream().map(Onnx.NodeProto::getOpType).collect(Collectors.toSet());
        String fourBitLayers = NativeKernels.usable().isPresent() ? "MatMulQ4Tiles" : "MatMulNBits";
        String attention = NativeKernels.usable().isPresent() ? "CachedAttention" : "GroupQueryAttention";
        assertTrue(operators.containsAll(Set.of(attention, "SkipSimplifiedLayerNormalization", fourBitLayers)), operators.toString());
        assertFalse(operators.contains("Softmax"), "attention is " + attention + "'s: " + operators);
        int layers = ModelFolder.open(TestModels.tinyRandom()).textShape().layers();
        assertEquals(layers, fused.getGraph().getNodeList().stream().filter(node -> node.getOpType().equals(attention)).count());
        assertEquals(4 * layers + 1, fused.getGraph().getNodeList().stream().filter(node -> node.getOpType().equals(fourBitLayers)).count(),
                "per layer one for Q, K and V, one for O, one for gate and up, one for down; then the output layer");
        assertEquals(names(original.getGraph().getInputList()), names(fused.getGraph().getInputList()));
        assertEquals(names(original.getGraph().getOutputList()), names(fused.getGraph().getOutputList()));
        Onnx.TensorShapeProto logits = fused.getGraph().getOutputList().stream().filter(output -> output.getName().equals("logits"))
                .findFirst().orElseThrow().getType().getTensorType().getShape();
        assertEquals(1, logits.getDim(1).getDimValue(), "logits of the last position only: " + logits);
    }

    @Test
    void aDecoderTheRewriteDoesNotTakeRunsAsPublishedAndTheReasonIsRemembered() throws Exception {
        Path int8 = decoder(TestModels.tinyRandom(), "_int8");
        DecoderGraph first = prepare(TestModels.tinyRandom(), int8, DecoderChoice.FUSED, probe(TestModels.tinyRandom()));
        assertEquals("published", first.kind());
        assertEquals(int8, first.file());
        assertTrue(first.note().startsWith("not fused: ") && first.note().contains("DynamicQuantizeLinear"), first.note());
        DecoderGraph again = prepare(TestModels.tinyRandom(), int8, DecoderChoice.FUSED,
                (published, fused) -> fail("a refused decoder is not rewritten again"));
        assertEquals(first, again);
    }

    @Test
    void aFusedGraphWhoseLogitsDifferFromThePublishedGraphsIsRefused() throws Exception {
        Path model = TestModels.copyOfTinyRandom(dir.resolve("model"));
        Path config = model.resolve("config.json");
        String text = Files.readString(config);
        assertTrue(text.contains("\"rope_theta\""), "the test model's config names its rotary base");
        // a config that disagrees with the graph: the rewrite's rotary tables follow the config, the graph does not
        Files.writeString(config, text.replaceAll("\"rope_theta\": *[0-9.eE+]+", "\"rope_theta\": 17.0"));
        DecoderGraph graph = prepare(model, decoder(model, ""), DecoderChoice.FUSED, probe(model));
        assertEquals("published", graph.kind());
        assertTrue(graph.note().contains("logits differ from the published graph's"), graph.note());
    }

    @Test
    void aGraphOnnxRuntimeCannotSaveOptimizedIsUsedAsBuilt() throws Exception {
        Path model = TestModels.tinyRandom();
        FusedDecoderProbe probe = probe(model);
        DecoderGraph graph = DecoderFusion.prepare(ModelFolder.open(model), decoder(model, "_q4"), DecoderChoice.FUSED,
                dir.resolve("cache"), probe, (fused, optimized, weights) -> {
                    throw new IllegalStateException("no optimizer here");
                }, probe.runtimeIdentity(), NativeKernels.usable().isPresent());
        assertEquals("fused", graph.kind(), graph.note());
        assertTrue(graph.note().contains("weights not pre-packed (no optimizer here)"), graph.note());
        assertTrue(probe.logitDifference(decoder(model, "_q4"), graph.file()) <= 1e-3);
    }

    @Test
    void theFusedGraphIsBuiltOnceAndAgainWhenThePublishedFileChanges() throws Exception {
        Path model = TestModels.copyOfTinyRandom(dir.resolve("model"));
        Path published = decoder(model, "_q4");
        AtomicInteger checks = new AtomicInteger();
        FusedDecoderProbe probe = probe(model);
        DecoderFusion.Check counting = (a, b) -> {
            checks.incrementAndGet();
            return probe.logitDifference(a, b);
        };
        DecoderGraph built = prepare(model, published, DecoderChoice.FUSED, counting);
        DecoderGraph cached = prepare(model, published, DecoderChoice.FUSED, counting);
        assertEquals(1, checks.get());
        assertEquals(built.file(), cached.file());
        assertTrue(cached.note().contains("from the cache"), cached.note());
        Files.setLastModifiedTime(published, FileTime.fromMillis(Files.getLastModifiedTime(published).toMillis() + 60_000));
        DecoderGraph rebuilt = prepare(model, published, DecoderChoice.FUSED, counting);
        assertEquals(2, checks.get());
        assertNotEquals(built.file(), rebuilt.file());
        assertTrue(Files.readAllBytes(published).length > 0, "the published file is left as it was");
    }

    @Test
    void int8ArithmeticIsAChoiceOfItsOwnAndOnlyForFourBitLayers() throws Exception {
        Path model = TestModels.tinyRandom();
        DecoderGraph q4 = prepare(model, decoder(model, "_q4"), DecoderChoice.FUSED_INT8, probe(model));
        assertEquals("fused-int8", q4.kind(), q4.note());
        assertEquals(Set.of(4L), accuracyLevels(q4.file()));
        double difference = probe(model).logitDifference(decoder(model, "_q4"), q4.file());
        assertTrue(Double.isFinite(difference) && difference < 0.25,
                "int8 arithmetic differs a little, never NaN (ONNX Runtime 1.28 reloads its pre-packed weights as NaN): "
                        + difference + "; " + q4.note());
        DecoderGraph exact = prepare(model, decoder(model, "_q4"), DecoderChoice.FUSED, probe(model), false);
        assertEquals(Set.of(0L), accuracyLevels(exact.file()), "the exact graph keeps the published arithmetic");
        if (NativeKernels.usable().isPresent()) {
            DecoderGraph tiled = prepare(model, decoder(model, "_q4"), DecoderChoice.FUSED, probe(model));
            assertEquals(Set.of(), accuracyLevels(tiled.file()), "every 4-bit layer on the tile kernel");
            assertTrue(DecoderFusion.glanceKernelUse(tiled).tileKernel(), tiled.note());
            assertTrue(DecoderFusion.glanceKernelUse(tiled).cachedAttention(), tiled.note());
            assertFalse(DecoderFusion.glanceKernelUse(exact).tileKernel(), exact.note());
            assertFalse(DecoderFusion.glanceKernelUse(exact).cachedAttention(), exact.note());
            DecoderGraph int8Again = prepare(model, decoder(model, "_q4"), DecoderChoice.FUSED_INT8, probe(model));
            assertEquals(Set.of(4L), accuracyLevels(int8Again.file()), "int8 arithmetic stays ONNX Runtime's");
            assertFalse(DecoderFusion.glanceKernelUse(int8Again).tileKernel(), int8Again.note());
            assertTrue(DecoderFusion.glanceKernelUse(int8Again).cachedAttention(), "the attention is the same arithmetic: " + int8Again.note());
        }
        DecoderGraph fp32 = prepare(model, decoder(model, ""), DecoderChoice.FUSED_INT8, probe(model));
        assertEquals("fused", fp32.kind());
        assertTrue(fp32.note().contains("no 4-bit layers"), fp32.note());
    }

    @Test
    void aBrokenCachedGraphFallsBackToThePublishedGraphAndIsBuiltAgainNextTime() throws Exception {
        Path model = TestModels.copyOfTinyRandom(dir.resolve("model"));
        Path cached;
        try (LoadedModel loaded = load(model, Precision.FP32, DecoderChoice.FUSED)) {
            cached = loaded.model().decoderGraph().file();
            assertEquals("fused", loaded.model().decoderGraph().kind());
        }
        Files.writeString(cached, "not a model");
        try (LoadedModel loaded = load(model, Precision.FP32, DecoderChoice.FUSED);
             ChatSession chat = loaded.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            DecoderGraph graph = loaded.model().decoderGraph();
            assertEquals("published", graph.kind());
            assertTrue(graph.note().contains("did not open"), graph.note());
            assertEquals(4, chat.ask("What is a cat?", List.of(), GenerationOptions.greedy(4).withIgnoreStopTokens(true),
                    piece -> { }, new Cancellation()).tokenIds().length);
        }
        try (LoadedModel loaded = load(model, Precision.FP32, DecoderChoice.FUSED)) {
            DecoderGraph rebuilt = loaded.model().decoderGraph();
            assertEquals("fused", rebuilt.kind(), "the broken graph was discarded and built again: " + rebuilt.note());
            assertTrue(rebuilt.note().contains("built"), rebuilt.note());
        }
    }

    /** The token ids of a question and a follow-up, 24 greedy tokens each. */
    private static int[][] answers(Path model, Precision precision, DecoderChoice choice, String expectedKind) throws Exception {
        try (LoadedModel loaded = load(model, precision, choice);
             ChatSession chat = loaded.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            assertEquals(expectedKind, loaded.model().decoderGraph().kind(), loaded.model().decoderGraph().note());
            GenerationOptions options = GenerationOptions.greedy(24).withIgnoreStopTokens(true);
            GenerationResult first = chat.ask("What is a cat?", List.of(), options, piece -> { }, new Cancellation());
            GenerationResult second = chat.ask("And a dog?", List.of(), options, piece -> { }, new Cancellation());
            return new int[][] {first.tokenIds(), second.tokenIds()};
        }
    }

    private static LoadedModel load(Path model, Precision precision, DecoderChoice choice) throws Exception {
        return LoadedModel.load(model, PrecisionSet.uniform(precision), Device.CPU, new CpuThreading(1, false, choice));
    }

    private DecoderGraph prepare(Path model, Path published, DecoderChoice choice, DecoderFusion.Check check) throws Exception {
        return prepare(model, published, choice, check, NativeKernels.usable().isPresent());
    }

    private DecoderGraph prepare(Path model, Path published, DecoderChoice choice, DecoderFusion.Check check,
                                 boolean glanceKernels) throws Exception {
        FusedDecoderProbe probe = probe(model);
        return DecoderFusion.prepare(ModelFolder.open(model), published, choice, dir.resolve("cache"), check, probe,
                probe.runtimeIdentity(), glanceKernels);
    }

    private static FusedDecoderProbe probe(Path model) throws Exception {
        return new FusedDecoderProbe(ENV, ModelFolder.open(model).textShape());
    }

    private static Path decoder(Path model, String suffix) {
        return model.resolve("onnx").resolve("decoder_model_merged" + suffix + ".onnx");
    }

    private static Onnx.ModelProto read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Onnx.ModelProto.parseFrom(in);
        }
    }

    /** The accuracy levels of a graph's MatMulNBits nodes (0, exact, where the attribute is left out). */
    private static Set<Long> accuracyLevels(Path graph) throws IOException {
        return read(graph).getGraph().getNodeList().stream().filter(node -> node.getOpType().equals("MatMulNBits"))
                .map(node -> node.getAttributeList().stream().filter(a -> a.getName().equals("accuracy_level"))
                        .mapToLong(Onnx.AttributeProto::getI).findFirst().orElse(0))
                .collect(Collectors.toSet());
    }

    private static List<String> names(List<Onnx.ValueInfoProto> values) {
        return values.stream().map(Onnx.ValueInfoProto::getName).toList();
    }
}
