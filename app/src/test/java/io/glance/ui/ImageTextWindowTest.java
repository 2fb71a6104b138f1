package io.glance.ui;

import io.glance.TestModels;
import io.glance.generation.GenerationOptions;
import io.glance.ui.labels.LabelRow;
import io.glance.ui.labels.LabelsViewModel;
import io.glance.ui.library.LibraryResult;
import io.glance.ui.library.LibraryViewModel;
import io.glance.vision.OpenCvLibrary;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundled demo CLIP in the window: pictures indexed in the Library and found by typing what they show, and the
 * labels panel following the camera as its scene changes.
 */
@Tag("demo-model")
class ImageTextWindowTest extends HeadlessWindowTest {
    private static final Path DEMO_CLIP = TestModels.repoRoot().resolve("model-assets/glance-demo-clip");

    @BeforeEach
    void needsTheDemoClip() {
        assumeTrue(Files.isDirectory(DEMO_CLIP.resolve("onnx")), "the demo CLIP has not been built");
        OpenCvLibrary.ensureLoaded();
    }

    /** A light picture with one filled circle. */
    private static Mat circle(int width, int height, Scalar colour) {
        Mat scene = new Mat(height, width, CvType.CV_8UC3, new Scalar(236, 240, 242));
        Imgproc.circle(scene, new Point(width * 0.5, height * 0.5), Math.min(width, height) / 4, colour, -1,
                Imgproc.LINE_AA);
        return scene;
    }

    /** A light picture with one filled square. */
    private static Mat square(int width, int height, Scalar colour) {
        Mat scene = new Mat(height, width, CvType.CV_8UC3, new Scalar(236, 240, 242));
        int side = Math.min(width, height) / 2;
        Imgproc.rectangle(scene, new Point(width / 2.0 - side / 2.0, height / 2.0 - side / 2.0),
                new Point(width / 2.0 + side / 2.0, height / 2.0 + side / 2.0), colour, -1);
        return scene;
    }

    @Test
    void typingRedCircleInTheLibraryBringsThePicturesHoldingOneFirst() throws Exception {
        Path folder = Files.createDirectories(temp.resolve("photos"));
        ShapeScenes.write(ShapeScenes.circleAndSquare(640, 480, 0), folder.resolve("circle-and-square.png"));
        ShapeScenes.write(circle(500, 400, ShapeScenes.RED), folder.resolve("red-circle.jpg"));
        ShapeScenes.write(circle(500, 400, ShapeScenes.BLUE), folder.resolve("blue-circle.png"));
        ShapeScenes.write(square(600, 400, ShapeScenes.YELLOW), folder.resolve("yellow-square.png"));
        ShapeScenes.write(ShapeScenes.triangle(640, 480, ShapeScenes.GREEN), folder.resolve("green-triangle.png"));
        ShapeScenes.write(ShapeScenes.triangle(400, 400, ShapeScenes.YELLOW), folder.resolve("yellow-triangle.png"));
        MainViewModel main = launch(temp.resolve("home"), null, GenerationOptions.greedy(8)).viewModel();
        LibraryViewModel library = main.library();
        robot.push(KeyCode.CONTROL, KeyCode.L);
        waitUntil(() -> robot.lookup("#libraryIndexPictures").tryQuery().isPresent());
        dialogs.willChoose(folder);
        robot.clickOn("#libraryChooseFolder");
        waitUntil(() -> folder.equals(library.folderProperty().get()) && message().endsWith("in the index."));

        robot.clickOn("#libraryIndexPictures");
        waitUntil(() -> !library.runningProperty().get() && message().contains("6 indexed"));
        assertEquals(6, library.embeddingCount());
        robot.clickOn("#librarySearch").write("red circle").type(KeyCode.ENTER);
        waitUntil(() -> library.results().size() == 6 && library.results().get(0).thumbnailProperty().get() != null);

        List<String> firstTwo = library.results().subList(0, 2).stream().map(LibraryResult::path).sorted().toList();
        assertEquals(List.of("circle-and-square.png", "red-circle.jpg"), firstTwo,
                "the pictures holding a red circle come first: " + library.results().stream().map(LibraryResult::path).toList());
        assertTrue(library.results().get(0).why().contains("similar to the query"), library.results().get(0).why());

        robot.interact(() -> library.moreLikeThis(library.results().get(0)));
        waitUntil(() -> library.results().size() == 5);
    }

    @Test
    void theLabelsOnTheCameraChangeWhenTheSceneDoes() throws Exception {
        Path camera = Files.createDirectories(temp.resolve("camera"));
        ShapeScenes.write(circle(640, 480, ShapeScenes.RED), camera.resolve("1-red-circle.png"));
        ShapeScenes.write(ShapeScenes.triangle(640, 480, ShapeScenes.YELLOW), camera.resolve("2-yellow-triangle.png"));
        MainViewModel main = launch(temp.resolve("home"), camera, GenerationOptions.greedy(8)).viewModel();
        LabelsViewModel labels = main.labels();
        waitUntil(() -> main.viewer().cameraRunningProperty().get());
        robot.interact(() -> labels.labelsProperty().set("red circle, yellow triangle"));
        robot.clickOn("#labelsToggle");

        Set<String> best = new HashSet<>();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (best.size() < 2 && System.nanoTime() < deadline) {
            waitUntil(() -> !labels.scores().isEmpty());
            robot.interact(() -> best.add(labels.scores().get(0).label()));
            Thread.sleep(100);
        }
        assertEquals(Set.of("red circle", "yellow triangle"), best, "the best label follows the camera's scene");
        VBox rows = robot.lookup("#labelRows").queryAs(VBox.class);
        assertEquals(2, rows.getChildren().size(), "a bar per label");
        double sum = labels.scores().stream().mapToDouble(LabelRow::probability).sum();
        assertEquals(1.0, sum, 1e-4, "the demo CLIP's softmax over the labels");
        robot.clickOn("#labelsToggle");
        waitUntil(() -> labels.scores().isEmpty());
    }

    private String message() {
        return robot.lookup("#libraryMessage").queryAs(Label.class).getText();
    }
}
