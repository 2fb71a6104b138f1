package io.glance.session;

import io.glance.TestModels;
import io.glance.generation.ChatSession;
import io.glance.generation.FinishReason;
import io.glance.generation.ScriptedModel;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.prompt.TextTokenizer;
import io.glance.settings.Settings;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model host against a scripted model: read-ahead handles, follow-ups, new conversations, stopping before a
 * question's turn, work that borrows the model, and load failures. The inference "thread" is a queue drained by
 * the test, so every step happens in the order the host submitted it.
 */
class ModelHostTest {
    private static final int END_OF_UTTERANCE = 49279;
    private static ModelFolder folder;
    private static TextTokenizer tokenizer;

    private final Queue<Runnable> inference = new ArrayDeque<>();
    private final AtomicInteger pictureFetches = new AtomicInteger();
    private ScriptedModel model;
    private int runtimesLoaded;

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

    @BeforeEach
    void scriptedModel() {
        int[] answer = tokenizer.encodeText(" Red.");
        model = new ScriptedModel(folder, n -> n < answer.length ? answer[n] : END_OF_UTTERANCE);
    }

    private ModelHost host() {
        return new ModelHost(inference::add, settings -> {
            runtimesLoaded++;
            return new ModelRuntime() {
                @Override
                public ChatSession newChat(Settings ignored, ImageOrigin origin) {
                    return new ChatSession(model, tokenizer, TestModels.format(folder), null);
                }

                @Override
                public ModelInfo info() {
                    return new ModelInfo("scripted", "fp32", "cpu", null);
                }

                @Override
                public void close() {
                }
            };
        }, null);
    }

    private void drain() {
        Runnable task;
        while ((task = inference.poll()) != null) {
            task.run();
        }
    }

    private ImageRequest picture(String subject) {
        return new ImageRequest(subject, "picture " + subject, ImageOrigin.PICTURE, () -> {
            pictureFetches.incrementAndGet();
            return new DecodedImage(new Mat(96, 128, CvType.CV_8UC3, new Scalar(0, 0, 255)));
        });
    }

    @Test
    void aPictureReadAheadIsAskedAboutWithoutFetchingOrEncodingItAgain() {
        ModelHost host = host();
        AtomicInteger ready = new AtomicInteger();
        PreparedPicture prepared = host.prepare(picture("a"), ready::incrementAndGet);
        drain();
        assertTrue(prepared.isReady());
        assertEquals(1, ready.get());
        assertEquals(1, model.encodeCalls);

        Recording answer = new Recording();
        host.ask("What color?", picture("a"), prepared, answer);
        drain();
        assertEquals(List.of("started", "picture", "text", "answered"), answer.eventKinds());
        assertTrue(answer.answer.readAhead(), "the handle was used");
        assertEquals("Red.", answer.answer.result().text());
        assertEquals(1, model.encodeCalls, "no second encoder run");
        assertEquals(1, pictureFetches.get(), "no second fetch");
    }

    @Test
    void aCancelledReadAheadOrOneOfAnotherPictureIsNotUsed() {
        ModelHost host = host();
        PreparedPicture cancelled = host.prepare(picture("a"), () -> { });
        drain();
        cancelled.cancel();
        drain();
        assertFalse(cancelled.isReady());
        Recording first = new Recording();
        host.ask("What color?", picture("a"), cancelled, first);
        drain();
        assertFalse(first.answer.readAhead());
        assertEquals(2, model.encodeCalls, "encoded again");

        PreparedPicture other = host.prepare(picture("b"), () -> { });
        drain();
        Recording second = new Recording();
        host.ask("What color?", picture("c"), other, second);
        drain();
        assertFalse(second.answer.readAhead(), "a handle of another picture is ignored");
        assertEquals(4, model.encodeCalls);
    }

    @Test
    void theSamePictureIsAFollowUpUntilANewConversation() {
        ModelHost host = host();
        Recording first = new Recording();
        host.ask("What color?", picture("a"), null, first);
        Recording followUp = new Recording();
        host.ask("And the shape?", picture("a"), null, followUp);
        drain();
        assertEquals(List.of("started", "text", "answered"), followUp.eventKinds(), "no new picture");
        assertTrue(followUp.answer.result().reusedTokens() > 0, "the cached prefix is reused");
        assertEquals(1, pictureFetches.get());

        host.newConversation();
        Recording fresh = new Recording();
        host.ask("What color?", picture("a"), null, fresh);
        drain();
        assertTrue(fresh.eventKinds().contains("picture"), "a new conversation takes the picture again");
        assertEquals(0, fresh.answer.result().reusedTokens());
        assertEquals(1, runtimesLoaded, "the model is loaded once");
    }

    @Test
    void aQuestionStoppedBeforeItsTurnHearsNothingAndWorkRunsInOrder() {
        ModelHost host = host();
        List<String> order = new ArrayList<>();
        host.withModel((runtime, settings) -> order.add("library run"), e -> order.add("failed"), () -> order.add("ended"));
        Recording stopped = new Recording();
        AskedQuestion asked = host.ask("What color?", picture("a"), null, stopped);
        Recording later = new Recording() {
            @Override
            public void started() {
                order.add("question");
                super.started();
            }
        };
        host.ask("What color?", picture("b"), null, later);
        assertTrue(asked.stop(), "not started yet: the caller ends it");
        drain();
        assertEquals(List.of(), stopped.eventKinds());
        assertEquals(List.of("library run", "ended", "question"), order);
        assertFalse(asked.stop(), "stopping twice claims nothing");
        assertEquals(List.of("started", "picture", "text", "answered"), later.eventKinds());
    }

    @Test
    void aModelThatCannotLoadSaysWhyToTheLoadAndToQuestions() {
        ModelHost host = new ModelHost(inference::add, settings -> {
            throw new InvalidModelException("no model folder at /nowhere");
        }, null);
        List<String> outcome = new ArrayList<>();
        host.load(Settings.defaults(), new ModelHost.LoadListener() {
            @Override
            public void loaded(ModelInfo info) {
                outcome.add("loaded");
            }

            @Override
            public void failed(String message) {
                outcome.add(message);
            }
        });
        Recording question = new Recording();
        host.ask("What color?", picture("a"), null, question);
        drain();
        assertEquals(List.of("no model folder at /nowhere"), outcome);
        assertEquals(List.of("started", "failed"), question.eventKinds());
        assertEquals("no model folder at /nowhere", question.failure);
    }

    @Test
    void aStoppedAnswerEndsAsCancelled() {
        ModelHost host = host();
        Recording answer = new Recording() {
            @Override
            public void text(String piece) {
                super.text(piece);
                stopHandle.stop();
            }
        };
        answer.stopHandle = host.ask("What color?", picture("a"), null, answer);
        drain();
        assertNotNull(answer.answer);
        assertEquals(FinishReason.CANCELLED, answer.answer.result().finishReason());
    }

    /** Records what the host told about one question. */
    private static class Recording implements AnswerListener {
        final List<String> events = new ArrayList<>();
        Answer answer;
        String failure;
        AskedQuestion stopHandle;

        List<String> eventKinds() {
            return events.stream().distinct().toList();
        }

        @Override
        public void started() {
            events.add("started");
        }

        @Override
        public void picture(DecodedImage picture) {
            assertTrue(picture.width() > 0);
            events.add("picture");
        }

        @Override
        public void text(String piece) {
            events.add("text");
        }

        @Override
        public void answered(Answer finished) {
            answer = finished;
            events.add("answered");
        }

        @Override
        public void failed(String message) {
            failure = message;
            events.add("failed");
        }

        @Override
        public void stoppedBeforeStart() {
            events.add("stopped before start");
        }
    }
}
