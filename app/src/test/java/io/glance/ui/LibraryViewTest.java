package io.glance.ui;

import com.google.gson.Gson;
import io.glance.generation.GenerationOptions;
import io.glance.library.IndexedImage;
import io.glance.library.LibraryIndex;
import io.glance.ui.chat.ChatTurn;
import io.glance.ui.library.LibraryResult;
import io.glance.ui.library.LibraryViewModel;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.ContextMenuEvent;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The library window end to end, headless (Monocle): opened with its shortcut, a folder chosen with its button
 * (the test answers the folder dialog), captioned with the chat's model on the inference thread, searched,
 * a hit opened and revealed (through a file opener that only records), the index exported to the files chosen,
 * a run cancelled midway, and a chat question asked while a run goes.
 */
class LibraryViewTest extends HeadlessWindowTest {
    /** Enough small images that a run is still going when the test acts on it. */
    private static final int MANY = 150;

    private LibraryViewModel library;

    @Test
    void aFolderChosenInTheWindowIsCaptionedSkipsTheTextFileAndIsSearchable() throws Exception {
        Path folder = threeImagesAndATextFile();
        openLibrary();
        importFolder(folder);
        assertEquals(List.of("Choose the image folder"), dialogs.titles());
        assertEquals(folder.toString(), robot.lookup("#libraryFolder").queryAs(Label.class).getText());

        robot.clickOn("#libraryCaption");
        waitUntil(() -> !library.runningProperty().get() && !message().isEmpty());

        assertTrue(message().contains("3 captioned") && message().contains("1 skipped"), message());
        assertEquals("4 / 4 files", robot.lookup("#libraryProgressText").queryAs(Label.class).getText()
                .split(" · ")[0]);
        List<?> skipped = robot.lookup("#librarySkipped").queryAs(ListView.class).getItems();
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).toString().startsWith("notes.jpg — "), skipped.toString());
        assertEquals(3, LibraryIndex.read(folder.resolve(".glance-index.json")).images().size(), "the index is saved");

        LibraryResult first = searchForCircle();
        assertEquals("shapes.png", first.path());
        Node tile = robot.lookup(".library-result").query();
        assertTrue(tile.getAccessibleText().startsWith("shapes.png: "), tile.getAccessibleText());
        assertNotNull(first.thumbnailProperty().get());
    }

    @Test
    void aHitOpensOnDoubleClickAndEnterAndIsRevealedFromItsMenu() throws Exception {
        Path folder = threeImagesAndATextFile();
        openLibrary();
        importFolder(folder);
        captionAndWait();
        searchForCircle();
        Path shapes = folder.resolve("shapes.png");

        robot.doubleClickOn(".library-result");
        waitUntil(() -> opener.calls().size() == 1);
        robot.type(KeyCode.ENTER);
        waitUntil(() -> opener.calls().size() == 2);
        requestContextMenu(robot.lookup(".library-result").query());
        robot.clickOn("Reveal in folder");
        waitUntil(() -> opener.calls().size() == 3);

        assertEquals(List.of("open " + shapes, "open " + shapes, "reveal " + shapes), opener.calls());
    }

    @Test
    void theIndexIsExportedAsCsvAndJsonToTheFilesChosen() throws Exception {
        Path folder = threeImagesAndATextFile();
        openLibrary();
        importFolder(folder);
        captionAndWait();
        Path csv = temp.resolve("exports/captions.csv");
        Path json = temp.resolve("exports/captions.json");
        Files.createDirectories(csv.getParent());

        dialogs.willChoose(csv);
        robot.clickOn("#libraryExportCsv");
        waitUntil(() -> message().startsWith("Exported 3 captions to " + csv));
        dialogs.willChoose(json);
        robot.clickOn("#libraryExportJson");
        waitUntil(() -> message().startsWith("Exported 3 captions to " + json));

        List<IndexedImage> index = LibraryIndex.read(folder.resolve(".glance-index.json")).images();
        List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertEquals(4, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("path,caption,model,"), rows.get(0));
        for (IndexedImage image : index) {
            assertTrue(rows.stream().anyMatch(row -> row.startsWith(image.path() + ",")), image.path() + " in " + rows);
        }
        List<?> exported = new Gson().fromJson(Files.readString(json), List.class);
        assertEquals(index.stream().map(IndexedImage::caption).sorted().toList(),
                exported.stream().map(entry -> (String) ((Map<?, ?>) entry).get("caption")).sorted().toList());
        assertEquals(List.of("Choose the image folder", "Export the captions as CSV", "Export the captions as JSON"),
                dialogs.titles());
    }

    @Test
    void cancellingARunMidwayKeepsWhatWasCaptionedAndLeavesTheAppUsable() throws Exception {
        Path folder = manyImages();
        MainViewModel main = openLibrary();
        importFolder(folder);
        robot.clickOn("#libraryCaption");
        waitUntil(() -> filesDone() >= 2);
        robot.clickOn("#libraryCancel");
        waitUntil(() -> !library.runningProperty().get());

        assertTrue(message().startsWith("Cancelled: "), message());
        int captioned = LibraryIndex.read(folder.resolve(".glance-index.json")).images().size();
        assertTrue(captioned >= 2 && captioned < MANY, captioned + " of " + MANY + " captioned");
        assertTrue(message().contains(captioned + " captioned"), message());
        assertEquals(captioned, library.captionCount());
        assertFalse(robot.lookup("#libraryCaption").query().isDisabled(), "Caption can start again");
        assertTrue(robot.lookup("#libraryCancel").query().isDisabled(), "nothing left to cancel");
        assertEquals("", main.chat().modelWorkProperty().get(), "the model is free");

        ChatTurn answered = ask(main, "What color is the circle?");
        waitUntil(() -> finished(answered));
        assertEquals(ChatTurn.State.DONE, answered.stateProperty().get(), answered.detailsProperty().get());
        assertFalse(answered.answerProperty().get().isBlank());

        robot.clickOn("#libraryCaption");
        waitUntil(() -> !library.runningProperty().get() && message().contains("captioned"));
        assertTrue(message().startsWith((MANY - captioned) + " captioned, " + captioned + " unchanged"), message());
        assertEquals(MANY, LibraryIndex.read(folder.resolve(".glance-index.json")).images().size());
    }

    @Test
    void aQuestionAskedWhileARunGoesSaysItWaitsForTheRunThenIsAnswered() throws Exception {
        MainViewModel main = openLibrary();
        ChatTurn waiting = askWhileARunGoes(main);
        Label thinking = robot.lookup(".turn-thinking").queryAs(Label.class);
        assertEquals("Waiting for the library run to finish…", thinking.getText());
        assertTrue(thinking.isVisible());
        assertEquals(ChatTurn.State.WAITING, waiting.stateProperty().get());
        assertTrue(library.runningProperty().get(), "the run was still going while the question waited");

        robot.clickOn("#libraryCancel");
        waitUntil(() -> finished(waiting));
        assertEquals(ChatTurn.State.DONE, waiting.stateProperty().get(), waiting.detailsProperty().get());
        assertEquals("", waiting.waitingForProperty().get());
        assertFalse(waiting.answerProperty().get().isBlank());
        assertFalse(thinking.isVisible());
        assertTrue(message().startsWith("Cancelled: "), "the run ended before the answer: " + message());
    }

    @Test
    void stoppingAQuestionThatWaitsForARunEndsItAtOnceAndTheRunGoesOn() throws Exception {
        MainViewModel main = openLibrary();
        ChatTurn waiting = askWhileARunGoes(main);
        assertEquals(ChatTurn.State.WAITING, waiting.stateProperty().get());

        robot.clickOn("#stopButton");

        assertEquals(ChatTurn.State.STOPPED, waiting.stateProperty().get(), "stopped at once, not when the run ends");
        assertEquals("", waiting.waitingForProperty().get());
        assertTrue(library.runningProperty().get(), "the library run goes on");
        assertFalse(main.chat().busyProperty().get());
        robot.clickOn("#libraryCancel");
        waitUntil(() -> !library.runningProperty().get());
        ChatTurn next = ask(main, "What color is the circle?");
        waitUntil(() -> finished(next));
        assertEquals(ChatTurn.State.DONE, next.stateProperty().get(), next.detailsProperty().get());
        assertEquals(ChatTurn.State.STOPPED, waiting.stateProperty().get(), "the stopped question was never answered");
        assertTrue(waiting.answerProperty().get().isEmpty());
    }

    /** Starts captioning a folder of many images and, once the first is done, asks about the camera's picture. */
    private ChatTurn askWhileARunGoes(MainViewModel main) throws Exception {
        importFolder(manyImages());
        robot.clickOn("#libraryCaption");
        waitUntil(() -> filesDone() >= 1);
        return ask(main, "What color is the circle?");
    }

    private MainViewModel openLibrary() throws Exception {
        Path camera = ShapeScenes.video(temp.resolve("camera.avi"), 640, 360, 30, 30);
        MainViewModel main = launch(temp.resolve("home"), camera, GenerationOptions.greedy(24)).viewModel();
        library = main.library();
        robot.push(KeyCode.CONTROL, KeyCode.L);
        waitUntil(() -> robot.lookup("#libraryCaption").tryQuery().isPresent());
        return main;
    }

    /** Chooses {@code folder} with the window's button and waits for its index to be read. */
    private void importFolder(Path folder) throws Exception {
        dialogs.willChoose(folder);
        robot.clickOn("#libraryChooseFolder");
        waitUntil(() -> folder.equals(library.folderProperty().get()) && message().endsWith("in the index."));
    }

    private void captionAndWait() throws Exception {
        robot.clickOn("#libraryCaption");
        waitUntil(() -> !library.runningProperty().get() && message().contains("3 captioned"));
    }

    /** Searches for "circle" (the demo model's word for the red circle) and waits for the hits' thumbnails. */
    private LibraryResult searchForCircle() throws Exception {
        assumeTrue(demoModel(), "the tiny random model's captions are noise; the search needs the demo model");
        robot.clickOn("#librarySearch").write("circle").type(KeyCode.ENTER);
        waitUntil(() -> !library.results().isEmpty() && library.results().get(0).thumbnailProperty().get() != null);
        LibraryResult first = library.results().get(0);
        assertTrue(first.caption().toLowerCase(Locale.ROOT).contains("circle"), first.caption());
        return first;
    }

    /** Asks about the camera's picture, the way Enter in the main window's question field does. */
    private ChatTurn ask(MainViewModel main, String question) throws Exception {
        waitUntil(() -> main.viewer().cameraRunningProperty().get());
        int before = main.chat().turns().size();
        robot.interact(() -> {
            main.questionProperty().set(question);
            main.ask();
        });
        assertEquals(before + 1, main.chat().turns().size(), "the question was asked");
        return main.chat().turns().get(before);
    }

    /**
     * Asks for {@code node}'s context menu as a right click does on a desktop (Monocle turns no click into a
     * context-menu request).
     */
    private void requestContextMenu(Node node) {
        robot.interact(() -> {
            Bounds screen = node.localToScreen(node.getBoundsInLocal());
            node.fireEvent(new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED, 20, 20,
                    screen.getMinX() + 20, screen.getMinY() + 20, false, null));
        });
    }

    private static boolean finished(ChatTurn turn) {
        ChatTurn.State state = turn.stateProperty().get();
        return state == ChatTurn.State.DONE || state == ChatTurn.State.STOPPED || state == ChatTurn.State.FAILED;
    }

    private String message() {
        return robot.lookup("#libraryMessage").queryAs(Label.class).getText();
    }

    private int filesDone() {
        String progress = robot.lookup("#libraryProgressText").queryAs(Label.class).getText();
        return progress.matches("\\d+ / \\d+ files.*") ? Integer.parseInt(progress.split(" ")[0]) : 0;
    }

    private Path threeImagesAndATextFile() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("photos"));
        ShapeScenes.write(ShapeScenes.triangle(320, 240, ShapeScenes.GREEN), folder.resolve("green.png"));
        ShapeScenes.write(ShapeScenes.triangle(400, 300, ShapeScenes.YELLOW), folder.resolve("yellow.jpg"));
        ShapeScenes.write(ShapeScenes.circleAndSquare(320, 240, 0), folder.resolve("shapes.png"));
        Files.writeString(folder.resolve("notes.jpg"), "a text file named like an image");
        return folder;
    }

    private Path manyImages() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("many"));
        for (int i = 0; i < MANY; i++) {
            ShapeScenes.write(ShapeScenes.circleAndSquare(96, 72, i % 10), folder.resolve(String.format("scene-%03d.png", i)));
        }
        return folder;
    }
}
