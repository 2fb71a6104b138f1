package io.glance.onnx;

import io.glance.generation.PositionIds;
import io.glance.generation.Sampler;
import io.glance.generation.EncoderInput;
import io.glance.generation.ModelFormat;
import io.glance.generation.ImageDetail;
import io.glance.TestModels;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.DecoderCache;
import io.glance.generation.FinishReason;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.ImageFeatures;
import io.glance.generation.PreparedImages;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.prompt.ChatMessage;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX Runtime backend end to end on the tiny random-weight model in the published layout. */
class OnnxEngineTest {
    private static LoadedModel fp32;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws Exception {
        OpenCvLibrary.ensureLoaded();
        fp32 = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.FP32), Device.CPU, CpuThreading.interactive(2));
    }

    @AfterAll
    static void close() {
        fp32.close();
    }

    private static DecodedImage scene() {
        Mat mat = new Mat(120, 160, CvType.CV_8UC3, new Scalar(200, 220, 240));
        Imgproc.circle(mat, new Point(50, 60), 25, new Scalar(0, 0, 255), -1);
        Imgproc.rectangle(mat, new Point(100, 30), new Point(140, 70), new Scalar(255, 0, 0), -1);
        return new DecodedImage(mat);
    }

    @Test
    void aModelLoadedForTextOpensItsVisionEncoderWithTheFirstPictureAndAnswersAsOneLoadedWithIt() throws Exception {
        ImageDetail whole = new ImageDetail(false, null, null);
        GenerationOptions four = GenerationOptions.greedy(4).withIgnoreStopTokens(true);
        try (LoadedModel textFirst = LoadedModel.load(ModelFolder.open(TestModels.tinyRandom()), PrecisionSet.uniform(Precision.FP32),
                Device.CPU, CpuThreading.interactive(2), VisionEncoderLoading.ON_FIRST_PICTURE);
             DecodedImage image = scene()) {
            assertTrue(!textFirst.model().loadMillis().containsKey("vision_encoder_session"),
                    textFirst.model().loadMillis().toString());
            try (ChatSession chat = textFirst.newChat(whole, null)) {
                GenerationResult text = chat.ask("Hello?", List.of(), four, s -> { }, new Cancellation());
                assertEquals(4, text.tokenIds().length);
            }
            assertTrue(!textFirst.model().loadMillis().containsKey("vision_encoder_session"), "a text question opens none");

            GenerationResult lazily;
            try (ChatSession chat = textFirst.newChat(whole, null)) {
                lazily = chat.ask("What is it?", List.of(image), four, s -> { }, new Cancellation());
            }
            GenerationResult eagerly;
            try (ChatSession chat = fp32.newChat(whole, null)) {
                eagerly = chat.ask("What is it?", List.of(image), four, s -> { }, new Cancellation());
            }
            assertTrue(textFirst.model().loadMillis().containsKey("vision_encoder_session"));
            assertArrayEquals(eagerly.tokenIds(), lazily.tokenIds());
            assertEquals(eagerly.imageTokens(), lazily.imageTokens());
        }
    }

    @Test
    void aPictureReadAheadIsNotEncodedAgainAndGetsTheSameAnswer() throws Exception {
        try (LoadedModel model = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.FP32),
                Device.CPU, CpuThreading.interactive(1));
             DecodedImage image = scene()) {
            OnnxVisionLanguageModel onnx = model.model();
            GenerationOptions two = GenerationOptions.greedy(2);
            try (ChatSession chat = model.newChat(new ImageDetail(false, null, null), null)) {
                PreparedImages ready = chat.prepareImages(List.of(image), new Cancellation());
                assertEquals(1, onnx.encoderRuns());
                GenerationResult first = chat.ask("What is it?", ready, two, s -> { }, new Cancellation());
                assertEquals(1, onnx.encoderRuns(), "the question used the features read ahead");
                try (ChatSession fresh = model.newChat(new ImageDetail(false, null, null), null)) {
                    GenerationResult direct = fresh.ask("What is it?", List.of(image), two, s -> { }, new Cancellation());
                    assertEquals(2, onnx.encoderRuns(), "without a read-ahead the encoder runs");
                    assertArrayEquals(direct.tokenIds(), first.tokenIds());
                    assertEquals(direct.promptTokens(), first.promptTokens());
                }
            }
        }
    }

    @Test
    void greedyWithTheCacheEqualsRecomputingTheWholeSequence() throws Exception {
        GenerationOptions options = GenerationOptions.greedy(12).withIgnoreStopTokens(true);
        String question = "Describe the image.";
        try (DecodedImage image = scene(); ChatSession chat = fp32.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            GenerationResult cached = chat.ask(question, List.of(image), options, s -> { }, new Cancellation());
            assertEquals(12, cached.tokenIds().length);

            ModelFormat format = fp32.family().format(ImageDetail.MODEL_DEFAULT);
            EncoderInput pixels = format.images().prepare(List.of(image));
            int[] prompt = fp32.tokenizer().encode(format.prompt().render(List.of(ChatMessage.user(1, question)),
                    pixels.layouts()));
            assertEquals(cached.promptTokens(), prompt.length);
            assertTrue(prompt.length > OnnxVisionLanguageModel.PREFILL_CHUNK, "the prompt spans several prefill chunks");
            ImageFeatures features = fp32.model().encodeImages(pixels, new Cancellation());
            float[] logits = new float[fp32.folder().textShape().vocabSize()];
            for (int step = 0; step < cached.tokenIds().length; step++) {
                int[] sequence = Arrays.copyOf(prompt, prompt.length + step);
                System.arraycopy(cached.tokenIds(), 0, sequence, prompt.length, step);
                try (DecoderCache fresh = fp32.model().newCache()) {
                    fresh.append(sequence, features, PositionIds.consecutive(1, 0, sequence.length), logits,
                            new Cancellation());
                }
                assertEquals(cached.tokenIds()[step], Sampler.argmax(logits), "token " + step + " recomputed without the cache");
            }
        }
    }

    @Test
    void aFloat16ModelRunsThroughTheCacheLikeItsFloat32Twin() throws Exception {
        try (LoadedModel q4 = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.Q4), Device.CPU,
                CpuThreading.interactive(2));
             LoadedModel half = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.Q4F16),
                     Device.CPU, CpuThreading.interactive(2));
             DecodedImage image = scene()) {
            ModelFormat format = q4.family().format(ImageDetail.MODEL_DEFAULT);
            EncoderInput pixels = format.images().prepare(List.of(image));
            ImageFeatures full = q4.model().encodeImages(pixels, new Cancellation());
            ImageFeatures halved = half.model().encodeImages(pixels, new Cancellation());
            assertEquals(full.rows(), halved.rows());
            assertTrue(cosine(full.data(), halved.data()) > 0.9999, "float16 pixels in, float16 features out");

            int[] prompt = q4.tokenizer().encode(format.prompt().render(List.of(ChatMessage.user(1, "What is it?")),
                    pixels.layouts()));
            int vocab = q4.folder().textShape().vocabSize();
            float[] expected = new float[vocab];
            float[] actual = new float[vocab];
            try (DecoderCache fullCache = q4.model().newCache(); DecoderCache halfCache = half.model().newCache()) {
                PositionIds positions = PositionIds.consecutive(1, 0, prompt.length);
                fullCache.append(prompt, full, positions, expected, new Cancellation());
                halfCache.append(prompt, halved, positions, actual, new Cancellation());
                assertClose(expected, actual, "prefill: float16 embeddings in, float16 logits out");
                for (int step = 0; step < 4; step++) {
                    int next = Sampler.argmax(expected);
                    assertEquals(next, Sampler.argmax(actual), "step " + step);
                    PositionIds at = PositionIds.consecutive(1, prompt.length + step, 1);
                    fullCache.append(new int[] {next}, null, at, expected, new Cancellation());
                    halfCache.append(new int[] {next}, null, at, actual, new Cancellation());
                    assertClose(expected, actual, "step " + step + ": a float16 KV cache fed back");
                }
            }
        }
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    /** Within float16's precision of the logits' scale. */
    private static void assertClose(float[] expected, float[] actual, String what) {
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0 && worst < 0.01 * scale, what + ": largest difference " + worst + " at a scale of " + scale);
    }

    @Test
    void followUpReusesTheImagePrefix() throws Exception {
        GenerationOptions options = GenerationOptions.greedy(6).withIgnoreStopTokens(true);
        try (DecodedImage image = scene(); ChatSession chat = fp32.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            GenerationResult first = chat.ask("What color is the circle?", List.of(image), options, s -> { }, new Cancellation());
            GenerationResult followUp = chat.ask("And the square?", List.of(), options, s -> { }, new Cancellation());
            assertTrue(followUp.reusedTokens() > first.promptTokens() - 10, "image prefix reused: " + followUp.reusedTokens());
            assertTrue(followUp.promptTokens() - followUp.reusedTokens() < 30, "only the new turn runs");
            assertEquals(0.0, followUp.timings().visionMs(), 0.5, "no image encoded for the follow-up");
            assertEquals(6, followUp.tokenIds().length);
        }
    }

    @Test
    void q4RunsThroughMatMulNBits() throws Exception {
        try (LoadedModel q4 = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.Q4), Device.CPU, CpuThreading.interactive(2));
             DecodedImage image = scene(); ChatSession chat = q4.newChat(new ImageDetail(false, null, null), null)) {
            GenerationResult result = chat.ask("Describe the image.", List.of(image),
                    GenerationOptions.greedy(5).withIgnoreStopTokens(true), s -> { }, new Cancellation());
            assertEquals(5, result.tokenIds().length);
            assertEquals("cpu", q4.model().provider());
        }
    }

    @Test
    void aMissingAcceleratorFallsBackToTheCpuAndSaysWhy() throws Exception {
        try (LoadedModel model = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.FP32), Device.CUDA, CpuThreading.interactive(1))) {
            assertEquals("cpu", model.model().provider());
            assertTrue(model.model().fallbackReason().startsWith("cuda unavailable"), model.model().fallbackReason());
        }
    }

    @Test
    void aCancelBeforeTheFirstTokenAbortsThePrefillAndLeavesNoTrace() throws Exception {
        Cancellation cancel = new Cancellation();
        cancel.cancel();
        try (DecodedImage image = scene(); ChatSession chat = fp32.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            GenerationResult result = chat.ask("Describe the image.", List.of(image), GenerationOptions.greedy(5),
                    s -> { }, cancel);
            assertEquals(FinishReason.CANCELLED, result.finishReason());
            assertEquals(0, result.tokenIds().length);
            assertEquals(0, chat.messages().size());
        }
    }

    @Test
    void aGraphWithTheWrongInputsIsRejectedNamingTheFile() throws Exception {
        Path copy = TestModels.copyOfTinyRandom(dir);
        Files.copy(copy.resolve("onnx/embed_tokens.onnx"), copy.resolve("onnx/decoder_model_merged.onnx"),
                StandardCopyOption.REPLACE_EXISTING);
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> LoadedModel.load(copy, PrecisionSet.uniform(Precision.FP32), Device.CPU, CpuThreading.interactive(1)));
        assertTrue(e.getMessage().contains("decoder_model_merged.onnx"), e.getMessage());
        assertTrue(e.getMessage().contains("missing input 'attention_mask'"), e.getMessage());
    }

    @Test
    void aCorruptGraphFileIsAClearError() throws Exception {
        Path copy = TestModels.copyOfTinyRandom(dir);
        Path vision = copy.resolve("onnx/vision_encoder.onnx");
        Files.write(vision, Arrays.copyOf(Files.readAllBytes(vision), 1000));
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> LoadedModel.load(copy, PrecisionSet.uniform(Precision.FP32), Device.CPU, CpuThreading.interactive(1)));
        assertTrue(e.getMessage().contains("cannot load") && e.getMessage().contains("vision_encoder.onnx"), e.getMessage());
    }

    @Test
    void aMissingPrecisionListsThePresentOnes() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.FP16), Device.CPU, CpuThreading.interactive(1)));
        assertTrue(e.getMessage().contains("onnx/decoder_model_merged_fp16.onnx"), e.getMessage());
        assertTrue(e.getMessage().endsWith("precisions present: fp32, int8, uint8, q8, q4, q4f16"), e.getMessage());
    }

    @Test
    void anEmptyFolderNamesTheMissingFiles() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> LoadedModel.load(dir, PrecisionSet.uniform(Precision.FP32), Device.CPU, CpuThreading.interactive(1)));
        assertTrue(e.getMessage().contains("missing config.json"), e.getMessage());
    }

    @Test
    void loadingAndClosingRepeatedlyDoesNotGrowNativeMemory() throws Exception {
        // In a process of its own: in this one the heap grows and is first touched at the pace of the other
        // tests' garbage, which resident memory cannot tell from native memory. The first cycles map the
        // native libraries, fill the JIT and the malloc arenas (resident memory still rose by 20-60 MB over cycles
        // 6-20 and then stayed within a few MB over 40 more); a leak is what keeps growing after them.
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(javaBinary, "-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                LoadAskCloseCycles.class.getName(), TestModels.tinyRandom().toString(), "20", "15")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        long grown = Long.parseLong(output.lines().filter(line -> line.startsWith("grown_kb="))
                .findFirst().orElseThrow(() -> new AssertionError(output)).substring("grown_kb=".length()));
        assertTrue(grown < 30_000, "resident memory grew by " + grown + " kB over 15 load/ask/close cycles");
    }
}
