package io.glance.ui;

import io.glance.TestModels;
import io.glance.generation.GenerationOptions;
import io.glance.model.download.LoopbackModelServer;
import io.glance.model.download.TinyModelCatalog;
import io.glance.ui.chat.ChatTurn;
import io.glance.ui.settings.SettingsViewModel;
import io.glance.ui.viewer.ViewerViewModel;
import javafx.application.Application;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.TransferMode;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main window end to end, headless (Monocle): a file camera, the bundled demo model when it is there
 * (else the tiny random model, whose answers are noise), real inference on the inference thread.
 */
class MainWindowTest extends HeadlessWindowTest {

    private MainViewModel open(Path home, Path cameraFile, GenerationOptions generation) throws Exception {
        return open(home, cameraFile, generation, model());
    }

    private MainViewModel open(Path home, Path cameraFile, GenerationOptions generation, Path modelFolder)
            throws Exception {
        MainViewModel model = launch(home, cameraFile, generation, modelFolder).viewModel();
        waitUntil(() -> model.chat().modelProperty().get() != null || model.chat().modelErrorProperty().get() != null);
        assertNull(model.chat().modelErrorProperty().get());
        return model;
    }

    private Path camera() {
        return ShapeScenes.video(temp.resolve("camera.avi"), 640, 360, 30, 30);
    }

    private static boolean finished(ChatTurn turn) {
        ChatTurn.State state = turn.stateProperty().get();
        return state == ChatTurn.State.DONE || state == ChatTurn.State.STOPPED || state == ChatTurn.State.FAILED;
    }

    private ChatTurn askAndWait(MainViewModel model, String question) throws Exception {
        int before = model.chat().turns().size();
        robot.clickOn("#questionField").write(question).type(KeyCode.ENTER);
        waitUntil(() -> model.chat().turns().size() == before + 1 && finished(model.chat().turns().get(before)));
        ChatTurn turn = model.chat().turns().get(before);
        assertEquals(ChatTurn.State.DONE, turn.stateProperty().get(), turn.detailsProperty().get());
        return turn;
    }

    @Test
    void asksAboutAFileCameraFrameAndStreamsTheAnswer() throws Exception {
        MainViewModel model = open(temp.resolve("home"), camera(), GenerationOptions.greedy(48));
        assertTrue(robot.lookup("#questionField").query().isFocused(), "the question field has the focus");
        waitUntil(() -> model.viewer().cameraRunningProperty().get() && model.viewer().pictureProperty().get() != null);

        List<String> seen = new ArrayList<>();
        model.chat().turns().addListener((javafx.collections.ListChangeListener<ChatTurn>) change ->
                change.getList().get(change.getList().size() - 1).answerProperty()
                        .addListener((obs, old, text) -> seen.add(text)));
        ChatTurn turn = askAndWait(model, "What color is the circle?");

        assertFalse(turn.answerProperty().get().isBlank());
        assertNotNull(turn.thumbnailProperty().get(), "the frame asked about is shown in the chat");
        assertTrue(turn.detailsProperty().get().contains("tokens/s"), turn.detailsProperty().get());
        assertTrue(seen.size() >= 2, "the answer streamed in " + seen.size() + " updates");
        if (demoModel()) {
            assertTrue(turn.answerProperty().get().contains("Red"), turn.answerProperty().get());
        }
        assertEquals("", model.questionProperty().get(), "the field is cleared after asking");
    }

    @Test
    void aQwenVlModelAnswersAboutTheCameraInTheWindow() throws Exception {
        Path qwen = TestModels.repoRoot().resolve("app/src/test/resources/models/tiny-qwen2.5-vl");
        MainViewModel model = open(temp.resolve("home"), camera(), GenerationOptions.greedy(12).withIgnoreStopTokens(true),
                qwen);
        waitUntil(() -> model.viewer().cameraRunningProperty().get() && model.viewer().pictureProperty().get() != null);
        ChatTurn turn = askAndWait(model, "What is in front of the camera?");
        assertFalse(turn.answerProperty().get().isBlank(), "a (random) answer streamed in");
        String details = turn.detailsProperty().get();
        assertTrue(details.contains("tokens/s") && details.contains(" image tokens"), details);
        assertNotNull(turn.thumbnailProperty().get(), "the frame asked about is shown in the chat");
    }

    @Test
    void typedControlTokensAreAskedAsOrdinaryText() throws Exception {
        MainViewModel model = open(temp.resolve("home"), camera(), GenerationOptions.greedy(24));
        waitUntil(() -> model.viewer().cameraRunningProperty().get() && model.viewer().pictureProperty().get() != null);
        ChatTurn image = askAndWait(model, "What is <image> here?");
        assertFalse(image.answerProperty().get().isBlank(), "an ordinary answer");
        ChatTurn endOfUtterance = askAndWait(model, "<end_of_utterance> <|im_end|> <fake_token_around_image>");
        assertTrue(endOfUtterance.detailsProperty().get().contains("tokens/s"), endOfUtterance.detailsProperty().get());
        if (demoModel()) {
            assertEquals("I only know shapes and colors.", endOfUtterance.answerProperty().get(),
                    "the demo model reads the markers as words it does not know");
        }
    }

    @Test
    void aQuestionAboutTheLiveCameraIsReadAheadWhileItIsTyped() throws Exception {
        MainViewModel model = open(temp.resolve("home"), camera(), GenerationOptions.greedy(24));
        waitUntil(() -> model.viewer().cameraRunningProperty().get() && model.viewer().pictureProperty().get() != null);
        robot.clickOn("#questionField").write("What color is the circle?");
        waitUntil(() -> !model.chat().readAheadProperty().get().isEmpty());
        assertFalse(model.chat().busyProperty().get(), "read ahead of the question, without making the chat busy");

        robot.type(KeyCode.ENTER);
        waitUntil(() -> model.chat().turns().size() == 1 && finished(model.chat().turns().get(0)));
        ChatTurn turn = model.chat().turns().get(0);
        assertEquals(ChatTurn.State.DONE, turn.stateProperty().get(), turn.detailsProperty().get());
        assertTrue(turn.detailsProperty().get().contains("picture read ahead"), turn.detailsProperty().get());
        assertNotNull(turn.thumbnailProperty().get());
        if (demoModel()) {
            assertTrue(turn.answerProperty().get().contains("Red"), turn.answerProperty().get());
        }
    }

    @Test
    void aQuestionTypedWhileAnAnswerStreamsIsReadAheadOnceItEnds() throws Exception {
        // about 5 s at the demo model's 1560 tokens/s on one thread of the 2-core CI machine: longer than the typing
        GenerationOptions endless = GenerationOptions.greedy(8000).withIgnoreStopTokens(true);
        MainViewModel model = open(temp.resolve("home"), camera(), endless);
        waitUntil(() -> model.viewer().cameraRunningProperty().get() && model.viewer().pictureProperty().get() != null);
        robot.clickOn("#questionField").write("Describe the image.").type(KeyCode.ENTER);
        waitUntil(() -> !model.chat().turns().isEmpty() && model.chat().busyProperty().get());
        String firstQuestionsFrame = model.chat().readAheadProperty().get();
        robot.write("What color is the circle?");
        Thread.sleep(300);
        assertTrue(model.chat().busyProperty().get(), "the first answer still streams (this test's premise)");
        assertEquals(firstQuestionsFrame, model.chat().readAheadProperty().get(), "nothing is read while it streams");

        robot.clickOn("#stopButton");
        waitUntil(() -> !model.chat().readAheadProperty().get().isEmpty()
                && !model.chat().readAheadProperty().get().equals(firstQuestionsFrame));
        robot.clickOn("#questionField").type(KeyCode.ENTER);
        waitUntil(() -> model.chat().turns().size() == 2
                && !model.chat().turns().get(1).answerProperty().get().isEmpty());
        ChatTurn turn = model.chat().turns().get(1);
        robot.clickOn("#stopButton");
        waitUntil(() -> finished(turn));
        assertEquals("What color is the circle?", turn.question());
        assertTrue(turn.detailsProperty().get().contains("picture read ahead"), turn.detailsProperty().get());
    }

    @Test
    void escapeStopsAnAnswerMidway() throws Exception {
        // about 5 s at the demo model's 1560 tokens/s on one thread of the 2-core CI machine: still streaming at Escape
        GenerationOptions endless = GenerationOptions.greedy(8000).withIgnoreStopTokens(true);
        MainViewModel model = open(temp.resolve("home"), camera(), endless);
        waitUntil(() -> model.viewer().cameraRunningProperty().get());
        robot.clickOn("#questionField").write("Describe the image.").type(KeyCode.ENTER);
        waitUntil(() -> !model.chat().turns().isEmpty()
                && model.chat().turns().get(0).answerProperty().get().length() > 20);
        ChatTurn turn = model.chat().turns().get(0);

        long pressed = System.nanoTime();
        robot.type(KeyCode.ESCAPE);
        waitUntil(() -> finished(turn));
        double stopMs = (System.nanoTime() - pressed) / 1e6;

        assertEquals(ChatTurn.State.STOPPED, turn.stateProperty().get());
        assertTrue(stopMs < 3000, "stopped after " + stopMs + " ms");
        assertFalse(model.chat().busyProperty().get());
        assertTrue(robot.lookup("#stopButton").query().isDisabled());
    }

    @Test
    void aFollowUpAboutTheFrozenFrameReusesTheImage() throws Exception {
        MainViewModel model = open(temp.resolve("home"), camera(), GenerationOptions.greedy(24));
        waitUntil(() -> model.viewer().cameraRunningProperty().get());
        robot.clickOn("#freezeButton");
        waitUntil(() -> model.viewer().modeProperty().get() == ViewerViewModel.Mode.FROZEN
                && !model.viewer().stillLabelProperty().get().isEmpty());
        assertEquals("Preview paused", robot.lookup("#statusFps").queryAs(Label.class).getText());
        String still = model.viewer().stillIdProperty().get();
        waitUntil(() -> still.equals(model.chat().readAheadProperty().get()));
        assertFalse(model.chat().busyProperty().get(), "read ahead of any question, without making the chat busy");

        ChatTurn first = askAndWait(model, "What color is the circle?");
        ChatTurn second = askAndWait(model, "What shape is the blue object?");

        assertNotNull(first.thumbnailProperty().get());
        assertTrue(first.detailsProperty().get().contains("picture read ahead"), first.detailsProperty().get());
        assertEquals(0, first.reusedTokensProperty().get());
        assertTrue(second.reusedTokensProperty().get() > 0, "the follow-up reused the image's cached prefix");
        assertNull(second.thumbnailProperty().get(), "the follow-up sent no new picture");
        if (demoModel()) {
            assertEquals("Red.", first.answerProperty().get());
            assertEquals("A square.", second.answerProperty().get());
        }
    }

    @Test
    void droppingTwoImagesCaptionsBothAndRefusesOtherFiles() throws Exception {
        Path green = ShapeScenes.write(ShapeScenes.triangle(320, 240, ShapeScenes.GREEN), temp.resolve("green.png"));
        Path yellow = ShapeScenes.write(ShapeScenes.triangle(400, 300, ShapeScenes.YELLOW), temp.resolve("yellow.jpg"));
        Path notes = Files.writeString(temp.resolve("notes.txt"), "not an image");
        MainViewModel model = open(temp.resolve("home"), null, GenerationOptions.greedy(24));
        List<String> progress = new ArrayList<>();
        model.chat().queueProgressProperty().addListener((obs, old, text) -> progress.add(text));

        drop(List.of(green.toFile(), notes.toFile(), yellow.toFile()));
        waitUntil(() -> model.chat().turns().size() == 2 && model.chat().turns().stream().allMatch(MainWindowTest::finished));

        for (ChatTurn turn : model.chat().turns()) {
            assertEquals(ChatTurn.State.DONE, turn.stateProperty().get());
            assertFalse(turn.answerProperty().get().isBlank());
            assertNotNull(turn.thumbnailProperty().get());
        }
        assertTrue(progress.contains("Captioning 1 of 2"), progress.toString());
        String notice = robot.lookup("#notice").queryAs(Label.class).getText();
        assertTrue(notice.contains("notes.txt"), notice);
        if (demoModel()) {
            assertTrue(model.chat().turns().get(0).answerProperty().get().contains("green triangle"));
        }
    }

    @Test
    void aDroppedPictureIsCaptionedAndFollowUpsAreAnsweredAboutIt() throws Exception {
        Path picture = ShapeScenes.write(ShapeScenes.circleAndSquare(640, 480, 0), temp.resolve("shapes.png"));
        MainViewModel model = open(temp.resolve("home"), null, GenerationOptions.greedy(24));

        drop(List.of(picture.toFile()));
        waitUntil(() -> model.chat().turns().size() == 1 && finished(model.chat().turns().get(0)));
        ChatTurn caption = model.chat().turns().get(0);
        ChatTurn colour = askAndWait(model, "What color is the circle?");
        ChatTurn side = askAndWait(model, "Where is the blue square?");
        ChatTurn count = askAndWait(model, "How many circles are there?");

        assertEquals(ChatTurn.State.DONE, caption.stateProperty().get(), caption.detailsProperty().get());
        assertTrue(colour.reusedTokensProperty().get() > 0, "the follow-up continued the captioned conversation");
        assertNull(colour.thumbnailProperty().get(), "the follow-up sent no new picture");
        if (demoModel()) {
            assertEquals("A red circle and a blue square.", caption.answerProperty().get());
            assertEquals("Red.", colour.answerProperty().get());
            assertEquals("On the right.", side.answerProperty().get());
            assertEquals("One.", count.answerProperty().get());
        }
    }

    @Test
    void aNonImageDropIsRefused() throws Exception {
        Path notes = Files.writeString(temp.resolve("notes.txt"), "not an image");
        MainViewModel model = open(temp.resolve("home"), null, GenerationOptions.greedy(8));
        drop(List.of(notes.toFile()));
        waitUntil(() -> !model.chat().noticeProperty().get().isEmpty());
        assertTrue(model.chat().noticeProperty().get().startsWith("Refused notes.txt"));
        assertTrue(model.chat().turns().isEmpty());
    }

    @Test
    void withoutACameraTheWindowSaysSo() throws Exception {
        open(temp.resolve("home"), null, GenerationOptions.greedy(8));
        String message = robot.lookup("#cameraMessage").queryAs(Label.class).getText();
        assertTrue(message.startsWith("No camera found"), message);
    }

    @Test
    void aMissingCameraFileOffersRetry() throws Exception {
        MainViewModel model = open(temp.resolve("home"), temp.resolve("missing.avi"), GenerationOptions.greedy(8));
        waitUntil(() -> model.viewer().retryableProperty().get());
        assertTrue(robot.lookup("#retryButton").query().isVisible());
        assertTrue(model.viewer().cameraMessageProperty().get().contains("no such file"));
    }

    @Test
    void settingsAndHistorySurviveARestart() throws Exception {
        Path home = temp.resolve("home");
        MainViewModel model = open(home, camera(), GenerationOptions.greedy(16));
        waitUntil(() -> model.viewer().cameraRunningProperty().get());
        robot.press(KeyCode.CONTROL, KeyCode.D).release(KeyCode.D, KeyCode.CONTROL);
        waitUntil(() -> model.darkThemeProperty().get());
        ChatTurn asked = askAndWait(model, "How many shapes are there?");
        String answer = asked.answerProperty().get();
        FxToolkit.cleanupApplication(app);

        MainViewModel reopened = open(home, camera(), GenerationOptions.greedy(16));
        waitUntil(() -> reopened.chat().turns().size() == 1);
        ChatTurn restored = reopened.chat().turns().get(0);
        assertEquals("How many shapes are there?", restored.question());
        assertEquals(answer, restored.answerProperty().get());
        assertNotNull(restored.thumbnailProperty().get());
        assertTrue(reopened.darkThemeProperty().get());
        assertTrue(Application.getUserAgentStylesheet().contains("primer-dark"), Application.getUserAgentStylesheet());
        assertTrue(Files.isRegularFile(home.resolve("history/chats.json")));
    }

    @Test
    void aCorruptSettingsFileIsSetAsideAndTheWindowSaysSo() throws Exception {
        Path home = Files.createDirectories(temp.resolve("home"));
        Files.writeString(home.resolve("settings.json"), "{\"version\": 1, \"theme\": ");
        open(home, null, GenerationOptions.greedy(8));

        Label notice = robot.lookup("#settingsNotice").queryAs(Label.class);
        assertTrue(notice.isVisible());
        assertTrue(notice.getText().contains("kept as"), notice.getText());
        try (var files = Files.list(home)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("settings.json.unreadable-")));
        }
    }

    @Test
    void theSettingsFormSwitchesThePrecisionReloadsTheModelAndKeepsItAfterARestart() throws Exception {
        Path home = temp.resolve("home");
        MainViewModel model = open(home, null, GenerationOptions.greedy(8));
        assertEquals("fp32", model.chat().modelProperty().get().precision());
        SettingsViewModel settings = model.settings();
        robot.interact(() -> settings.editForm(List.of()));
        waitUntil(() -> settings.precisionChoices().contains("q4"));
        robot.interact(() -> {
            settings.precisionProperty().set("q4");
            settings.applyForm();
        });
        waitUntil(() -> model.chat().modelProperty().get() != null
                && model.chat().modelProperty().get().precision().equals("q4"));
        assertTrue(robot.lookup("#statusModel").queryAs(Label.class).getText().endsWith("q4"));
        askAndWait(model, "What color is the circle?");
        assertTrue(Files.readString(home.resolve("settings.json")).contains("\"precision\": \"q4\""));

        closeWindow();
        MainViewModel reopened = open(home, null, GenerationOptions.greedy(8));
        assertEquals("q4", reopened.chat().modelProperty().get().precision());
    }

    @Test
    void theModelManagerDownloadsAModelShowsItInstalledAndSwitchesToIt() throws Exception {
        try (LoopbackModelServer server = new LoopbackModelServer(TinyModelCatalog.FOLDER, TinyModelCatalog.REPO,
                TinyModelCatalog.REVISION)) {
            Path catalog = TinyModelCatalog.write(temp.resolve("catalog.json"), path -> true, -1);
            Files.writeString(catalog, Files.readString(catalog).replace("http://127.0.0.1:9", server.baseUrl().toString()));
            System.setProperty("glance.catalog", catalog.toString());
            Path home = temp.resolve("home");
            MainViewModel model = open(home, null, GenerationOptions.greedy(8));
            assertEquals("fp32", model.chat().modelProperty().get().precision());
            assertTrue(server.requests().isEmpty(), "nothing is downloaded before the person asks");

            robot.interact(() -> robot.lookup(".main-view").queryAs(MainView.class).openModelManager());
            waitUntil(() -> robot.lookup("#download-tiny-random").tryQuery().isPresent()
                    && !robot.lookup("#download-tiny-random").query().isDisabled());
            assertEquals("Not installed", robot.lookup("#status-tiny-random").queryAs(Label.class).getText());
            robot.clickOn("#download-tiny-random");
            waitUntil(() -> robot.lookup("#status-tiny-random").queryAs(Label.class).getText().startsWith("Installed"));

            assertEquals("Installed: q4", robot.lookup("#status-tiny-random").queryAs(Label.class).getText());
            assertTrue(robot.lookup("#totalText-tiny-random").queryAs(Label.class).getText().startsWith("Downloaded"));
            assertTrue(Files.isRegularFile(home.resolve("models/tiny-random/onnx/decoder_model_merged_q4.onnx")));

            robot.clickOn("#use-tiny-random");
            waitUntil(() -> model.chat().modelProperty().get() != null
                    && model.chat().modelProperty().get().precision().equals("q4"));
            assertTrue(Files.readString(home.resolve("settings.json")).contains("\"modelId\": \"tiny-random\""));
            assertTrue(robot.lookup("#statusModel").queryAs(Label.class).getText().endsWith("q4"));
        } finally {
            System.clearProperty("glance.catalog");
        }
    }

    @Test
    void aPastedImageIsCaptioned() throws Exception {
        MainViewModel model = open(temp.resolve("home"), null, GenerationOptions.greedy(8));
        Path picture = ShapeScenes.write(ShapeScenes.triangle(160, 120, ShapeScenes.GREEN), temp.resolve("green.png"));
        robot.interact(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putImage(new javafx.scene.image.Image(picture.toUri().toString()));
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        robot.clickOn("#questionField");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.V).release(KeyCode.V, KeyCode.SHIFT, KeyCode.CONTROL);
        waitUntil(() -> model.chat().turns().size() == 1 && finished(model.chat().turns().get(0)));

        ChatTurn turn = model.chat().turns().get(0);
        assertEquals(ChatTurn.State.DONE, turn.stateProperty().get(), turn.detailsProperty().get());
        assertNotNull(turn.thumbnailProperty().get());
        assertEquals("pasted image", model.viewer().stillLabelProperty().get());
    }

    /** Drops files on the window the way a drag from a file manager ends. */
    private void drop(List<File> files) {
        Node target = robot.lookup(".main-view").query();
        robot.interact(() -> {
            Dragboard dragboard = com.sun.javafx.scene.input.DragboardHelper.createDragboard(
                    com.sun.javafx.tk.Toolkit.getToolkit().createLocalClipboard());
            ClipboardContent content = new ClipboardContent();
            content.putFiles(files);
            dragboard.setContent(content);
            target.fireEvent(new DragEvent(DragEvent.DRAG_DROPPED, dragboard, 10, 10, 10, 10, TransferMode.COPY,
                    null, target, null));
        });
    }
}
