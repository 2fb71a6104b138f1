package io.glance.family.qwenvl;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.glance.TestModels;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.DecoderCache;
import io.glance.generation.EncoderInput;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.ImageDetail;
import io.glance.generation.ModelFormat;
import io.glance.generation.PositionIds;
import io.glance.generation.Sampler;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.prompt.ChatMessage;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Qwen-VL fixtures through the whole engine against transformers.js 4.3.2's golden answers
 * (scripts/reference/dump_qwen_answers.mjs): the prompt's token ids, its multimodal position ids, and the greedy
 * answer, for a text-only question and two pictures (one with an EXIF rotation), in fp32 and q4; and a follow-up
 * on the cached prefix against the whole conversation recomputed.
 */
class QwenVlReferenceTest {
    private static final Path REFERENCE = TestModels.repoRoot().resolve("app/src/test/resources/qwenvl-reference");

    @ParameterizedTest
    @CsvSource({"tiny-qwen2-vl, fp32", "tiny-qwen2-vl, q4", "tiny-qwen2.5-vl, fp32", "tiny-qwen2.5-vl, q4",
            "tiny-qwen3-vl, fp32", "tiny-qwen3-vl, q4"})
    void promptsPositionsAndAnswersAreTheReferences(String fixture, String dtype) throws Exception {
        JsonObject golden = JsonParser.parseString(Files.readString(REFERENCE.resolve("answers.json"))).getAsJsonObject();
        Path folder = TestModels.repoRoot().resolve("app/src/test/resources/models").resolve(fixture);
        try (LoadedModel model = LoadedModel.load(folder, PrecisionSet.uniform(Precision.parse(dtype)), Device.CPU,
                CpuThreading.interactive(2))) {
            assertEquals("Qwen-VL", model.family().familyName());
            for (JsonElement element : golden.getAsJsonObject(fixture).getAsJsonArray(dtype)) {
                JsonObject expected = element.getAsJsonObject();
                String question = expected.get("question").getAsString();
                List<DecodedImage> images = new ArrayList<>();
                if (!expected.get("image").isJsonNull()) {
                    images.add(new ImageDecoder().decode(
                            TestModels.repoRoot().resolve("scripts/reference/images").resolve(expected.get("image").getAsString())));
                }
                String label = fixture + " " + dtype + " " + expected.get("image");
                try {
                    ModelFormat format = model.family().format(ImageDetail.MODEL_DEFAULT);
                    EncoderInput pixels = format.images().prepare(images);
                    int[] prompt = model.tokenizer().encode(format.prompt().render(
                            List.of(ChatMessage.user(images.size(), question)), pixels.layouts()));
                    assertArrayEquals(ints(expected.getAsJsonArray("input_ids")), prompt, "prompt ids, " + label);
                    PositionIds positions = format.positions().positions(prompt, pixels.layouts());
                    JsonArray rows = expected.getAsJsonArray("position_ids");
                    for (int r = 0; r < 3; r++) {
                        assertArrayEquals(longs(rows.get(r).getAsJsonArray()), positions.rows()[r],
                                "position row " + r + ", " + label);
                    }
                    try (ChatSession chat = model.newChat(ImageDetail.MODEL_DEFAULT, null)) {
                        GenerationResult answer = chat.ask(question, images, GenerationOptions.greedy(12), text -> { },
                                new Cancellation());
                        assertArrayEquals(ints(expected.getAsJsonArray("answer_ids")), answer.tokenIds(), "answer, " + label);
                        assertEquals(pixels.featureRows(), answer.imageTokens(), "image tokens, " + label);
                    }
                } finally {
                    images.forEach(DecodedImage::close);
                }
            }
        }
    }

    @Test
    void aFollowUpOnTheCachedPrefixEqualsRecomputingTheWholeConversation() throws Exception {
        Path folder = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2-vl");
        GenerationOptions options = GenerationOptions.greedy(8).withIgnoreStopTokens(true);
        try (LoadedModel model = LoadedModel.load(folder, PrecisionSet.uniform(Precision.FP32), Device.CPU,
                CpuThreading.interactive(2));
             DecodedImage image = new ImageDecoder().decode(
                     TestModels.repoRoot().resolve("scripts/reference/images/ties-70x126.png"));
             ChatSession chat = model.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            GenerationResult first = chat.ask("Describe the image.", List.of(image), options, text -> { }, new Cancellation());
            GenerationResult second = chat.ask("Where is the circle?", List.of(), options, text -> { }, new Cancellation());
            assertTrue(second.reusedTokens() >= first.promptTokens(), "the follow-up reused at least the first prompt, picture included");

            ModelFormat format = model.family().format(ImageDetail.MODEL_DEFAULT);
            EncoderInput pixels = format.images().prepare(List.of(image));
            List<ChatMessage> conversation = List.of(ChatMessage.user(1, "Describe the image."),
                    ChatMessage.assistant(first.text()), ChatMessage.user(0, "Where is the circle?"));
            int[] prompt = model.tokenizer().encode(format.prompt().render(conversation, pixels.layouts()));
            assertEquals(prompt.length, second.promptTokens(), "the same conversation");
            PositionIds positions = format.positions().positions(prompt, pixels.layouts());
            float[] logits = new float[model.folder().textShape().vocabSize()];
            try (DecoderCache fresh = model.model().newCache()) {
                fresh.append(prompt, model.model().encodeImages(pixels, new Cancellation()), positions, logits,
                        new Cancellation());
                long next = positions.next();
                for (int step = 0; step < second.tokenIds().length; step++) {
                    assertEquals(second.tokenIds()[step], Sampler.argmax(logits), "token " + step + " recomputed from scratch");
                    fresh.append(new int[] {second.tokenIds()[step]}, null, PositionIds.consecutive(3, next++, 1), logits,
                            new Cancellation());
                }
            }
        }
    }

    private static int[] ints(JsonArray array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsInt();
        }
        return values;
    }

    private static long[] longs(JsonArray array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsLong();
        }
        return values;
    }
}
