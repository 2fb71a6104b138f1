package io.glance.embedding;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.model.ContrastiveGraph;
import io.glance.model.Precision;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLIP and SigLIP fixtures against what transformers.js 4.3.2 computes from the same files
 * (scripts/reference/dump_clip_reference.mjs wrote the goldens): every pixel value of eight pictures of odd shapes,
 * the token ids of texts with punctuation, casing and more tokens than the model takes, image and text embeddings
 * (cosine ≥ 0.9999) and the zero-shot pipeline's probabilities and ranking, in fp32 and q8.
 */
class ContrastiveReferenceTest {
    private static final Path GOLDEN = TestModels.repoRoot().resolve("app/src/test/resources/clip-reference");
    private static final Path IMAGES = TestModels.repoRoot().resolve("scripts/reference/images");
    private static final Path MODELS = TestModels.repoRoot().resolve("app/src/test/resources/models");

    private static JsonObject golden(String model) throws Exception {
        return JsonParser.parseString(Files.readString(GOLDEN.resolve(model + ".json"))).getAsJsonObject();
    }

    private static float[] floats(JsonArray array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).getAsFloat();
        }
        return out;
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

    @ParameterizedTest
    @CsvSource({"tiny-clip,tiny-8x8.png", "tiny-clip,tall-30x900.png", "tiny-clip,wide-900x30.png",
            "tiny-clip,large-1200x800.jpg", "tiny-clip,exif-rotated-160x96.jpg", "tiny-clip,ties-70x126.png",
            "tiny-siglip,tiny-20x30.png", "tiny-siglip,wide-900x30.png", "tiny-siglip,exact-56x84.png"})
    void pixelValuesAreTheReferences(String model, String file) throws Exception {
        ContrastiveFolder folder = ContrastiveFolder.open(MODELS.resolve(model));
        FloatBuffer expected = ByteBuffer.wrap(Files.readAllBytes(GOLDEN.resolve(model)
                .resolve(file.substring(0, file.lastIndexOf('.')) + ".f32"))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] actual = new float[folder.imageProcessor().valuesPerImage()];
        try (DecodedImage image = new ImageDecoder().decode(IMAGES.resolve(file))) {
            folder.imageProcessor().write(image, actual, 0);
        }
        assertEquals(expected.remaining(), actual.length);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(expected.get(i) - actual[i]));
        }
        assertEquals(0.0, worst, 1e-6, "largest difference from the reference's pixel values of " + file);
    }

    @ParameterizedTest
    @CsvSource({"tiny-clip,fp32", "tiny-clip,q8", "tiny-siglip,fp32", "tiny-siglip,q8"})
    void embeddingsAndZeroShotScoresAreTheReferences(String model, String dtype) throws Exception {
        JsonObject reference = golden(model).getAsJsonObject(dtype);
        ContrastiveFolder folder = ContrastiveFolder.open(MODELS.resolve(model));
        try (OnnxEmbeddingModel embedder = OnnxEmbeddingModel.load(folder, Precision.parse(dtype),
                EnumSet.allOf(ContrastiveGraph.class), CpuThreading.interactive(2));
             ContrastiveTokenizer tokenizer = ContrastiveTokenizer.load(folder.root(), folder.kind())) {
            List<String> texts = new ArrayList<>();
            for (JsonElement entry : reference.getAsJsonArray("texts")) {
                JsonObject text = entry.getAsJsonObject();
                texts.add(text.get("text").getAsString());
                long[] ids = tokenizer.batch(List.of(text.get("text").getAsString())).row(0);
                long[] expectedIds = text.getAsJsonArray("input_ids").asList().stream()
                        .mapToLong(JsonElement::getAsLong).toArray();
                assertArrayEquals(expectedIds, ids, "ids of \"" + text.get("text").getAsString() + "\"");
            }
            float[][] textEmbeddings = new float[texts.size()][];
            for (int i = 0; i < texts.size(); i++) {
                textEmbeddings[i] = embedder.embedTexts(List.of(texts.get(i)))[0];
            }
            float[][] batched = embedder.embedTexts(texts);
            for (int i = 0; i < texts.size(); i++) {
                float[] expected = floats(reference.getAsJsonArray("texts").get(i).getAsJsonObject().getAsJsonArray("embedding"));
                assertTrue(cosine(expected, textEmbeddings[i]) >= 0.9999, "text " + i + ": " + cosine(expected, textEmbeddings[i]));
                // q8 quantizes activations with one scale per tensor: there a batch's rows depend on each other
                double floor = dtype.equals("fp32") ? 0.9999 : 0.99;
                assertTrue(cosine(textEmbeddings[i], batched[i]) >= floor, "text " + i + " alone and in a batch");
            }
            for (JsonElement entry : reference.getAsJsonArray("images")) {
                JsonObject expected = entry.getAsJsonObject();
                try (DecodedImage image = new ImageDecoder().decode(IMAGES.resolve(expected.get("image").getAsString()))) {
                    float[] actual = embedder.embedImages(List.of(image))[0];
                    double similarity = cosine(floats(expected.getAsJsonArray("embedding")), actual);
                    assertTrue(similarity >= 0.9999, expected.get("image") + ": cosine " + similarity);
                    assertEquals(1.0, cosine(actual, actual), 1e-6);
                }
            }
            for (JsonElement entry : reference.getAsJsonArray("zero_shot")) {
                JsonObject expected = entry.getAsJsonObject();
                List<String> labels = expected.getAsJsonArray("labels").asList().stream().map(JsonElement::getAsString).toList();
                String template = expected.get("template").isJsonNull() ? EmbeddingModel.DEFAULT_TEMPLATE
                        : expected.get("template").getAsString();
                List<LabelScore> scores;
                try (DecodedImage image = new ImageDecoder().decode(IMAGES.resolve(expected.get("image").getAsString()))) {
                    scores = embedder.classify(image, labels, template);
                }
                JsonArray expectedScores = expected.getAsJsonArray("scores");
                for (int i = 0; i < scores.size(); i++) {
                    JsonObject score = expectedScores.get(i).getAsJsonObject();
                    assertEquals(score.get("label").getAsString(), scores.get(i).label(), "rank " + i + " of " + expected);
                    assertEquals(score.get("score").getAsDouble(), scores.get(i).probability(),
                            1e-4 * Math.max(1e-3, score.get("score").getAsDouble()) + 1e-9, "probability of " + scores.get(i));
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-clip", "tiny-siglip"})
    void everyPublishedPrecisionIsFound(String model) throws Exception {
        ContrastiveFolder folder = ContrastiveFolder.open(MODELS.resolve(model));
        assertEquals(List.of(Precision.FP32, Precision.Q8), folder.precisionsWith(ContrastiveGraph.COMBINED));
        assertEquals(Precision.Q8, folder.defaultPrecision(ContrastiveGraph.VISION));
    }
}
