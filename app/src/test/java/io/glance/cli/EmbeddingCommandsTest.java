package io.glance.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.library.IndexedImage;
import io.glance.library.LibraryIndex;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code embed}, {@code classify}, {@code caption --embeddings-only}, {@code search --mode} and {@code similar}
 * command lines on the tiny CLIP and SigLIP fixtures: the JSON contracts, an index searched by meaning, and the
 * errors people can make.
 */
class EmbeddingCommandsTest {
    private static final Path IMAGES = TestModels.repoRoot().resolve("scripts/reference/images");
    private static final String CLIP = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-clip").toString();
    private static final String SIGLIP = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-siglip").toString();

    @TempDir
    static Path dir;
    private static Path photos;

    @BeforeAll
    static void writeImages() throws IOException {
        OpenCvLibrary.ensureLoaded();
        photos = Files.createDirectories(dir.resolve("photos"));
        Imgcodecs.imwrite(photos.resolve("green.png").toString(), new Mat(48, 64, CvType.CV_8UC3, new Scalar(0, 200, 0)));
        Imgcodecs.imwrite(photos.resolve("blue.jpg").toString(), new Mat(40, 30, CvType.CV_8UC3, new Scalar(200, 0, 0)));
        Imgcodecs.imwrite(photos.resolve("red.png").toString(), new Mat(50, 50, CvType.CV_8UC3, new Scalar(0, 0, 220)));
        Files.writeString(photos.resolve("notes.txt"), "not an image");
    }

    private static double norm(JsonArray vector) {
        double sum = 0;
        for (var value : vector) {
            sum += value.getAsDouble() * value.getAsDouble();
        }
        return Math.sqrt(sum);
    }

    @Test
    void embedPrintsOneUnitVectorPerInputInOrder() {
        CommandRun images = CommandRun.of("embed", "--model", CLIP, "--json", "--image",
                IMAGES.resolve("tiny-8x8.png").toString(), IMAGES.resolve("wide-900x30.png").toString());
        assertEquals(0, images.code(), images.err());
        JsonObject json = JsonParser.parseString(images.out()).getAsJsonObject();
        JsonArray embeddings = json.getAsJsonArray("embeddings");
        assertEquals(2, embeddings.size());
        assertEquals(24, json.get("dimension").getAsInt());
        assertEquals("q8", json.get("precision").getAsString(), "q8 is the default where the folder has it");
        assertEquals(1.0, norm(embeddings.get(0).getAsJsonArray()), 1e-5);
        assertNotEquals(embeddings.get(0), embeddings.get(1));

        CommandRun texts = CommandRun.of("embed", "--model", SIGLIP, "--dtype", "fp32", "--text", "a red circle", "A cat!");
        assertEquals(0, texts.code(), texts.err());
        List<String> lines = texts.out().lines().toList();
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("a red circle\t") && lines.get(1).startsWith("A cat!\t"), texts.out());
        assertEquals(24, lines.get(0).split("\t")[1].split(" ").length);
    }

    @Test
    void classifyGivesEveryLabelAProbabilityBestFirst() {
        CommandRun clip = CommandRun.of("classify", "--model", CLIP, "--labels", "red circle, blue square,a cat",
                "--json", IMAGES.resolve("exact-56x84.png").toString());
        assertEquals(0, clip.code(), clip.err());
        JsonObject json = JsonParser.parseString(clip.out()).getAsJsonObject();
        JsonArray labels = json.getAsJsonArray("labels");
        assertEquals(3, labels.size());
        double sum = 0;
        double previous = 1;
        for (var entry : labels) {
            double p = entry.getAsJsonObject().get("probability").getAsDouble();
            assertTrue(p <= previous, "best first");
            previous = p;
            sum += p;
        }
        assertEquals(1.0, sum, 1e-5, "softmax for CLIP");
        assertEquals("This is a photo of {}", json.get("template").getAsString());

        CommandRun siglip = CommandRun.of("classify", "--model", SIGLIP, "--labels", "dog,car", "--template",
                "a photo of the {}.", "--json", IMAGES.resolve("exact-56x84.png").toString());
        assertEquals(0, siglip.code(), siglip.err());
        double siglipSum = 0;
        for (var entry : JsonParser.parseString(siglip.out()).getAsJsonObject().getAsJsonArray("labels")) {
            siglipSum += entry.getAsJsonObject().get("probability").getAsDouble();
        }
        assertTrue(siglipSum < 0.5, "SigLIP's sigmoids are independent, not a share: " + siglipSum);
    }

    @Test
    void badInputGetsOneLineAndExitCode2() {
        CommandRun noLabels = CommandRun.of("classify", "--model", CLIP, "--labels", " , ", IMAGES.resolve("tiny-8x8.png").toString());
        assertEquals(2, noLabels.code());
        assertTrue(noLabels.err().contains("--labels names no label"), noLabels.err());
        CommandRun badTemplate = CommandRun.of("classify", "--model", CLIP, "--labels", "a", "--template", "no slot",
                IMAGES.resolve("tiny-8x8.png").toString());
        assertEquals(2, badTemplate.code());
        assertTrue(badTemplate.err().contains("must contain {}"), badTemplate.err());
        CommandRun notClip = CommandRun.of("embed", "--model", TestModels.tinyRandom().toString(), "--text", "hi");
        assertEquals(2, notClip.code());
        assertTrue(notClip.err().contains("is a 'idefics3' model; image–text embeddings need one of clip, siglip"), notClip.err());
        CommandRun missingPrecision = CommandRun.of("embed", "--model", CLIP, "--dtype", "q4", "--text", "hi");
        assertEquals(2, missingPrecision.code());
        assertTrue(missingPrecision.err().contains("has no onnx/text_model_q4.onnx; precisions with it: fp32, q8"),
                missingPrecision.err());
        CommandRun both = CommandRun.of("embed", "--model", CLIP, "--text", "hi", "--image", "x.png");
        assertEquals(2, both.code());
    }

    @Test
    void anIndexEmbeddedOnlyIsSearchedByMeaningAndSimilarLeavesThePictureOut() throws IOException {
        CommandRun embedded = CommandRun.of("caption", photos.toString(), "--embeddings-only", "--embedding-model", CLIP,
                "--embedding-dtype", "fp32", "--threads", "1");
        assertEquals(0, embedded.code(), embedded.err());
        assertTrue(embedded.out().startsWith("3 images: 3 embedded, 0 unchanged, 0 skipped, 0 removed"), embedded.out());
        assertTrue(embedded.out().contains("skipped notes.txt: not an image file"), embedded.out());
        List<IndexedImage> images = LibraryIndex.read(photos.resolve(LibraryIndex.DEFAULT_FILE_NAME)).images();
        assertEquals(3, images.size());
        for (IndexedImage image : images) {
            assertNull(image.caption());
            assertEquals("tiny-clip fp32", image.embeddingModel());
        }
        CommandRun again = CommandRun.of("caption", photos.toString(), "--embeddings-only", "--embedding-model", CLIP,
                "--embedding-dtype", "fp32");
        assertTrue(again.out().startsWith("3 images: 0 embedded, 3 unchanged"), again.out());

        CommandRun search = CommandRun.of("search", photos.toString(), "red", "circle", "--embedding-model", CLIP,
                "--json");
        assertEquals(0, search.code(), search.err());
        JsonArray hits = JsonParser.parseString(search.out()).getAsJsonArray();
        assertEquals(3, hits.size(), "hybrid by default: the captions match nothing, every picture has a similarity");
        assertTrue(hits.get(0).getAsJsonObject().has("similarity"));
        assertTrue(hits.get(0).getAsJsonObject().get("why").getAsString().contains("similar to the query"));

        CommandRun wrongModel = CommandRun.of("search", photos.toString(), "red", "--mode", "semantic",
                "--embedding-model", SIGLIP);
        assertEquals(2, wrongModel.code());
        assertTrue(wrongModel.err().contains("the library's embeddings were made with tiny-clip fp32, not tiny-siglip fp32"),
                wrongModel.err());
        CommandRun badMode = CommandRun.of("search", photos.toString(), "red", "--mode", "fuzzy");
        assertEquals(2, badMode.code());
        assertTrue(badMode.err().contains("unknown search mode 'fuzzy' (semantic, text or hybrid)"), badMode.err());

        CommandRun similar = CommandRun.of("similar", photos.resolve("red.png").toString(), "--json");
        assertEquals(0, similar.code(), similar.err());
        JsonArray alike = JsonParser.parseString(similar.out()).getAsJsonArray();
        assertEquals(2, alike.size());
        for (var hit : alike) {
            assertNotEquals("red.png", hit.getAsJsonObject().get("path").getAsString());
        }
        CommandRun outside = CommandRun.of("similar", IMAGES.resolve("tiny-8x8.png").toString(), "--index",
                photos.resolve(LibraryIndex.DEFAULT_FILE_NAME).toString(), "--embedding-model", CLIP, "--limit", "1");
        assertEquals(0, outside.code(), outside.err());
        assertEquals(1, outside.out().lines().count(), outside.out());
        assertFalse(outside.out().isBlank());
    }

    @Test
    void captionWithEmbeddingsStoresBothAndSearchFusesThem() throws IOException {
        Path both = Files.createDirectories(dir.resolve("both"));
        Files.copy(photos.resolve("red.png"), both.resolve("red.png"));
        Files.copy(photos.resolve("green.png"), both.resolve("green.png"));
        CommandRun run = CommandRun.of("caption", both.toString(), "--model", TestModels.tinyRandom().toString(),
                "--dtype", "fp32", "--device", "cpu", "--max-new-tokens", "3", "--embeddings", "--embedding-model",
                CLIP, "--embedding-dtype", "fp32");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().startsWith("2 images: 2 captioned"), run.out());
        for (IndexedImage image : LibraryIndex.read(both.resolve(LibraryIndex.DEFAULT_FILE_NAME)).images()) {
            assertFalse(image.caption().isEmpty());
            assertEquals("tiny-clip fp32", image.embeddingModel());
        }
        String firstCaptionWord = LibraryIndex.read(both.resolve(LibraryIndex.DEFAULT_FILE_NAME)).images().get(0)
                .caption().strip().split("\\s+")[0];
        CommandRun search = CommandRun.of("search", both.toString(), firstCaptionWord, "--embedding-model", CLIP,
                "--json");
        assertEquals(0, search.code(), search.err());
        JsonArray hits = JsonParser.parseString(search.out()).getAsJsonArray();
        assertEquals(2, hits.size(), "every picture is compared by meaning");
        assertTrue(hits.asList().stream().anyMatch(hit -> hit.getAsJsonObject().has("text_rank")),
                "the caption words rank too: " + search.out());
    }

    @Test
    void aTextOnlyIndexRefusesSearchByMeaning() throws IOException {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        new LibraryIndexWriter(plain).write();
        CommandRun semantic = CommandRun.of("search", plain.toString(), "red", "--mode", "semantic");
        assertEquals(2, semantic.code());
        assertTrue(semantic.err().contains("needs embeddings, and this index has none"), semantic.err());
        CommandRun similar = CommandRun.of("similar", plain.resolve("a.png").toString());
        assertEquals(2, similar.code());
    }

    /** Writes an index with one captioned picture and no embeddings. */
    private record LibraryIndexWriter(Path folder) {
        void write() throws IOException {
            Imgcodecs.imwrite(folder.resolve("a.png").toString(), new Mat(8, 8, CvType.CV_8UC3, new Scalar(1, 2, 3)));
            LibraryIndex index = LibraryIndex.open(folder.resolve(LibraryIndex.DEFAULT_FILE_NAME), folder);
            index.put(new IndexedImage("a.png", "A red circle.", "m", "fp32", "Describe.", "2026-01-01T00:00:00Z",
                    8, 8, 1, 1, "00"));
            index.save();
        }
    }
}
