package io.glance.generation;

import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.prompt.TextTokenizer;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generation loop against a scripted model: stopping, limits, cancel, streaming and prefix reuse. */
class ChatSessionTest {
    private static final int END_OF_UTTERANCE = 49279;
    private static ModelFolder folder;
    private static TextTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        OpenCvLibrary.ensureLoaded();
        folder = ModelFolder.open(TestModels.tinyRandom());
        tokenizer = TextTokenizer.load(folder.tokenizerFile());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    /** Answers {@code answer} and then the stop token. */
    private static IntUnaryOperator says(String answer) {
        int[] ids = tokenizer.encodeText(answer);
        return n -> n < ids.length ? ids[n] : END_OF_UTTERANCE;
    }

    private static ChatSession chat(ScriptedModel model) {
        return new ChatSession(model, tokenizer, TestModels.format(folder), null);
    }

    private static DecodedImage image() {
        return new DecodedImage(new Mat(120, 160, CvType.CV_8UC3, new Scalar(0, 0, 255)));
    }

    @Test
    void stopsAtTheStopTokenAndLeavesItOut() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, says(" Red."));
        List<String> pieces = new ArrayList<>();
        try (ChatSession chat = chat(model); DecodedImage image = image()) {
            GenerationResult result = chat.ask("What color?", List.of(image), GenerationOptions.greedy(50),
                    pieces::add, new Cancellation());
            assertEquals("Red.", result.text());
            assertEquals(FinishReason.STOP, result.finishReason());
            assertArrayEquals(tokenizer.encodeText(" Red."), result.tokenIds());
            assertEquals(" Red.", String.join("", pieces));
            assertEquals(1, model.encodeCalls);
            assertTrue(result.promptTokens() > 16, "the prompt holds the image tokens");
        }
    }

    @Test
    void aPictureReadAheadIsAskedAboutWithoutEncodingItAgain() throws Exception {
        ScriptedModel prepared = new ScriptedModel(folder, says(" Red."));
        ScriptedModel fresh = new ScriptedModel(folder, says(" Red."));
        try (ChatSession chat = chat(prepared); ChatSession other = chat(fresh); DecodedImage image = image()) {
            PreparedImages ready = chat.prepareImages(List.of(image), new Cancellation());
            assertEquals(1, prepared.encodeCalls);
            assertTrue(chat.messages().isEmpty(), "reading ahead leaves the conversation as it was");

            GenerationResult afterPrepare = chat.ask("What color?", ready, GenerationOptions.greedy(50),
                    s -> { }, new Cancellation());
            assertEquals(1, prepared.encodeCalls, "the question used the features read ahead");
            GenerationResult without = other.ask("What color?", List.of(image), GenerationOptions.greedy(50),
                    s -> { }, new Cancellation());
            assertArrayEquals(fresh.appended.get(0), prepared.appended.get(0), "the same prompt: one user turn, one image");
            assertEquals(0, afterPrepare.reusedTokens());
            assertEquals("Red.", afterPrepare.text());
            assertEquals(without.text(), afterPrepare.text());
            assertThrows(IllegalArgumentException.class, () -> other.ask("What color?", ready,
                    GenerationOptions.greedy(5), s -> { }, new Cancellation()), "prepared for another conversation");
        }
    }

    @Test
    void aPicturesPixelsAreFreedOnceEncodedBeforeTheAnswerIsWritten() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, says(" Red."));
        try (ChatSession chat = chat(model); DecodedImage image = image()) {
            chat.ask("What color?", List.of(image), GenerationOptions.greedy(50), s -> { }, new Cancellation());
            chat.prepareImages(List.of(image), new Cancellation());

            assertEquals(2, model.encoded.size());
            assertTrue(model.encoded.stream().allMatch(ScriptedModel::freed), "both inputs were freed");
            assertTrue(model.pixelsFreedAtAppend.stream().allMatch(Boolean::booleanValue),
                    "the prompt and every step ran after the pixels were freed");
        }
    }

    @Test
    void maxNewTokensEndsWithLength() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, n -> 330);
        try (ChatSession chat = chat(model)) {
            GenerationResult result = chat.ask("Hi", List.of(), GenerationOptions.greedy(7), s -> { }, new Cancellation());
            assertEquals(FinishReason.LENGTH, result.finishReason());
            assertEquals(7, result.tokenIds().length);
            assertEquals(0, model.encodeCalls, "text-only questions run no vision encoder");
        }
    }

    @Test
    void ignoringStopTokensGeneratesExactlyN() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, n -> END_OF_UTTERANCE);
        try (ChatSession chat = chat(model)) {
            GenerationResult result = chat.ask("Hi", List.of(), GenerationOptions.greedy(5).withIgnoreStopTokens(true),
                    s -> { }, new Cancellation());
            assertEquals(5, result.tokenIds().length);
            assertEquals(FinishReason.LENGTH, result.finishReason());
        }
    }

    @Test
    void cancelStopsWithinOneStepAndKeepsThePartialAnswer() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, n -> 330);
        Cancellation cancel = new Cancellation();
        int[] pieces = {0};
        try (ChatSession chat = chat(model)) {
            GenerationResult result = chat.ask("Hi", List.of(), GenerationOptions.greedy(100), s -> {
                if (++pieces[0] == 3) {
                    cancel.cancel();
                }
            }, cancel);
            assertEquals(FinishReason.CANCELLED, result.finishReason());
            assertEquals(3, result.tokenIds().length, "no decode step runs after the cancel");
            assertEquals(2, chat.messages().size(), "the partial answer stays in the conversation");
        }
    }

    @Test
    void streamedPiecesNeverSplitACharacter() throws Exception {
        String answer = " café ✓ 😀 naïve";
        ScriptedModel model = new ScriptedModel(folder, says(answer));
        List<String> pieces = new ArrayList<>();
        try (ChatSession chat = chat(model)) {
            GenerationResult result = chat.ask("Hi", List.of(), GenerationOptions.greedy(50), pieces::add, new Cancellation());
            assertEquals(answer.strip(), result.text());
            assertEquals(answer, String.join("", pieces));
            assertTrue(tokenizer.encodeText(answer).length > pieces.size(), "some tokens completed no character");
            for (String piece : pieces) {
                assertFalse(piece.contains("\uFFFD"), "no replacement characters: " + piece);
            }
        }
    }

    @Test
    void followUpReusesTheImagePrefixAndEncodesNothing() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, says(" Red."));
        try (ChatSession chat = chat(model); DecodedImage image = image()) {
            GenerationResult first = chat.ask("What color?", List.of(image), GenerationOptions.greedy(20), s -> { },
                    new Cancellation());
            int fedAfterFirst = first.promptTokens() + first.tokenIds().length; // every answer token was fed; the stop token was not
            GenerationResult second = chat.ask("Are you sure?", List.of(), GenerationOptions.greedy(20), s -> { },
                    new Cancellation());
            assertEquals(1, model.encodeCalls, "the image was encoded once");
            assertEquals(fedAfterFirst, second.reusedTokens(), "everything the cache held is reused");
            int[] lastPrefill = model.appended.stream().filter(ids -> ids.length > 1).reduce((a, b) -> b).orElseThrow();
            assertTrue(lastPrefill.length < 20, "only the new turn runs: " + lastPrefill.length + " tokens");
            for (int id : lastPrefill) {
                assertTrue(id != folder.imageTokenId(), "no image token is fed again");
            }
            assertEquals(4, chat.messages().size());
            long imageTokens = Arrays.stream(model.appended.get(0)).filter(id -> id == folder.imageTokenId()).count();
            assertEquals(imageTokens, first.imageTokens(), "the first turn's image tokens are reported");
            assertEquals(0, second.imageTokens(), "the follow-up showed no new picture");
            long expected = 0;
            for (int i = 0; i < model.appended.size(); i++) {
                if (i > 0 && model.appended.get(i).length > 1) {
                    expected = second.reusedTokens();
                }
                for (long position : model.positions.get(i)) {
                    assertEquals(expected++, position, "positions continue the cached prefix, step " + i);
                }
            }
        }
    }

    @Test
    void newChatStartsFromAnEmptyCache() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, says(" Red."));
        try (ChatSession chat = chat(model); DecodedImage image = image()) {
            chat.ask("What color?", List.of(image), GenerationOptions.greedy(20), s -> { }, new Cancellation());
            chat.reset();
            GenerationResult again = chat.ask("What color?", List.of(image), GenerationOptions.greedy(20), s -> { },
                    new Cancellation());
            assertEquals(0, again.reusedTokens());
            assertEquals(2, model.encodeCalls);
        }
    }

    @Test
    void aFailedTurnLeavesTheConversationAsItWas() throws Exception {
        ScriptedModel model = new ScriptedModel(folder, says(" Red."));
        try (ChatSession chat = chat(model); DecodedImage image = image()) {
            chat.ask("What color?", List.of(image), GenerationOptions.greedy(20), s -> { }, new Cancellation());
            model.failNextAppend = new GenerationException("out of memory");
            assertThrows(GenerationException.class, () -> chat.ask("And now?", List.of(image),
                    GenerationOptions.greedy(20), s -> { }, new Cancellation()));
            assertEquals(2, chat.messages().size());
            GenerationResult next = chat.ask("Shape?", List.of(), GenerationOptions.greedy(20), s -> { }, new Cancellation());
            assertEquals("Red.", next.text());
        }
    }

    @Test
    void samplingIsSeededAndTopPKeepsTheMass() {
        float[] logits = {0f, 5f, 4.9f, -10f};
        GenerationOptions sampling = new GenerationOptions(10, 1f, 0.5f, 1f, 42L, false);
        Sampler a = new Sampler(sampling, 4);
        Sampler b = new Sampler(sampling, 4);
        for (int i = 0; i < 20; i++) {
            int x = a.next(logits.clone());
            assertEquals(x, b.next(logits.clone()), "same seed, same choice");
            assertTrue(x == 1 || x == 2, "top-p 0.5 keeps only the two likely tokens: " + x);
        }
    }

    @Test
    void repetitionPenaltyDemotesSeenTokens() {
        Sampler sampler = new Sampler(new GenerationOptions(10, 0f, 1f, 2f, 0L, false), 3);
        sampler.observe(0);
        assertEquals(1, sampler.next(new float[] {3f, 2f, -1f}), "3/2 = 1.5 < 2");
    }
}
