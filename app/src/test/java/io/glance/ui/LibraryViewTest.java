package io.glance.ui;

import io.glance.generation.GenerationOptions;
import io.glance.ui.library.LibraryResult;
import io.glance.ui.library.LibraryViewModel;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The library window end to end, headless (Monocle): opened with its shortcut, it captions a folder with the
 * chat's model on the inference thread and finds an image by a word of its caption.
 */
class LibraryViewTest extends HeadlessWindowTest {

    @Test
    void captionsAFolderSkipsTheTextFileAndFindsAnImageByACaptionWord() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("photos"));
        ShapeScenes.write(ShapeScenes.triangle(320, 240, ShapeScenes.GREEN), folder.resolve("green.png"));
        ShapeScenes.write(ShapeScenes.triangle(400, 300, ShapeScenes.YELLOW), folder.resolve("yellow.jpg"));
        ShapeScenes.write(ShapeScenes.circleAndSquare(320, 240, 0), folder.resolve("shapes.png"));
        Files.writeString(folder.resolve("notes.jpg"), "a text file named like an image");
        LibraryViewModel library = launch(temp.resolve("home"), null, GenerationOptions.greedy(24)).viewModel().library();

        robot.push(KeyCode.CONTROL, KeyCode.L);
        waitUntil(() -> robot.lookup("#libraryCaption").tryQuery().isPresent());
        robot.interact(() -> library.chooseFolder(folder));
        robot.clickOn("#libraryCaption");
        waitUntil(() -> !library.runningProperty().get() && !robot.lookup("#libraryMessage")
                .queryAs(Label.class).getText().isEmpty());

        String message = robot.lookup("#libraryMessage").queryAs(Label.class).getText();
        assertTrue(message.contains("3 captioned") && message.contains("1 skipped"), message);
        assertEquals("4 / 4 files", robot.lookup("#libraryProgressText").queryAs(Label.class).getText()
                .split(" · ")[0]);
        List<?> skipped = robot.lookup("#librarySkipped").queryAs(ListView.class).getItems();
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).toString().startsWith("notes.jpg — "), skipped.toString());
        assertTrue(Files.exists(folder.resolve(".glance-index.json")), "the index is saved");

        String word = demoModel() ? "circle" : null;
        assumeTrue(word != null, "the tiny random model's captions are noise; the search needs the demo model");
        robot.clickOn("#librarySearch").write(word).type(KeyCode.ENTER);
        waitUntil(() -> !library.results().isEmpty() && library.results().get(0).thumbnailProperty().get() != null);

        LibraryResult first = library.results().get(0);
        assertEquals("shapes.png", first.path());
        assertTrue(first.caption().toLowerCase(Locale.ROOT).contains(word), first.caption());
        Node tile = robot.lookup(".library-result").query();
        assertTrue(tile.getAccessibleText().startsWith("shapes.png: "), tile.getAccessibleText());
        assertNotNull(first.thumbnailProperty().get());
        assertFalse(library.runningProperty().get());
    }
}
