package io.glance.library;

import io.glance.generation.ImageDetail;
import io.glance.TestModels;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfPoint;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The library end to end with the bundled demo model: generated scenes captioned with "Describe the image.",
 * then "red circle" must rank every scene with a red circle above every scene without one, including scenes
 * that have a red shape and a circle of another colour. Skipped until the demo model's graphs are in the tree.
 */
@Tag("demo-model")
class DemoModelLibraryTest {
    private static final Path DEMO = TestModels.repoRoot().resolve("model-assets/glance-demo-shapes");
    /** OpenCV BGR of the demo world's nominal colours. */
    private static final Map<String, Scalar> COLORS = Map.of(
            "red", new Scalar(35, 30, 225), "green", new Scalar(60, 165, 35), "blue", new Scalar(220, 75, 35),
            "yellow", new Scalar(35, 215, 245), "purple", new Scalar(170, 45, 135), "orange", new Scalar(25, 135, 245));
    /** Scene name → its shapes left to right, as "colour shape". */
    private static final Map<String, List<String>> SCENES = Map.ofEntries(
            Map.entry("with01.png", List.of("red circle", "blue square")),
            Map.entry("with02.png", List.of("green triangle", "red circle")),
            Map.entry("with03.png", List.of("red circle", "yellow triangle")),
            Map.entry("with04.png", List.of("purple square", "red circle")),
            Map.entry("with05.png", List.of("red circle")),
            Map.entry("with06.png", List.of("red circle", "green square")),
            Map.entry("without07.png", List.of("red square", "blue circle")),
            Map.entry("without08.png", List.of("blue circle", "green triangle")),
            Map.entry("without09.png", List.of("red triangle", "yellow circle")),
            Map.entry("without10.png", List.of("green square")),
            Map.entry("without11.png", List.of("purple circle", "red square")),
            Map.entry("without12.png", List.of("yellow square", "blue triangle")));

    @TempDir
    Path dir;

    @Test
    void searchingRedCircleRanksTheScenesWithOneFirst() throws Exception {
        assumeTrue(Files.isDirectory(DEMO.resolve("onnx")), "the demo model has not landed yet");
        OpenCvLibrary.ensureLoaded();
        SCENES.forEach((name, shapes) -> draw(dir.resolve(name), shapes));

        LibraryIndex index = LibraryIndex.open(dir.resolve(LibraryIndex.DEFAULT_FILE_NAME), dir);
        PrecisionSet precision = ModelFolder.open(DEMO).defaultPrecision();
        try (LoadedModel model = LoadedModel.load(DEMO, precision, Device.CPU, CpuThreading.interactive(2));
             ChatSession chat = model.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            CaptionSetup setup = new CaptionSetup("glance-demo-shapes", precision.toString(), "Describe the image.");
            CaptionSummary summary = new CaptionRun(index, new ChatCaptioner(chat, setup, GenerationOptions.greedy(40)), false)
                    .run(progress -> { }, new Cancellation());
            assertEquals(SCENES.size(), summary.captioned(), summary.skipped().toString());
        }

        String captions = index.images().stream().map(i -> i.path() + ": " + i.caption())
                .collect(Collectors.joining("\n"));
        try (LibrarySearch search = new LibrarySearch(LibraryIndex.read(index.file()))) {
            List<String> ranked = search.search("red circle", 100).stream().map(hit -> hit.image().path()).toList();
            long with = SCENES.keySet().stream().filter(name -> name.startsWith("with0")).count();
            assertTrue(ranked.size() >= with, ranked + "\n" + captions);
            for (int rank = 0; rank < ranked.size(); rank++) {
                assertEquals(rank < with, ranked.get(rank).startsWith("with0"),
                        "rank " + rank + " in " + ranked + "\n" + captions);
            }
        }
    }

    /** A 320x240 light-grey scene with the shapes side by side, each 70 pixels wide. */
    private static void draw(Path file, List<String> shapes) {
        Mat image = new Mat(240, 320, CvType.CV_8UC3, new Scalar(235, 235, 235));
        for (int i = 0; i < shapes.size(); i++) {
            String[] colourAndShape = shapes.get(i).split(" ");
            Scalar colour = COLORS.get(colourAndShape[0]);
            double cx = shapes.size() == 1 ? 160 : 85 + 150 * i;
            double cy = 120;
            switch (colourAndShape[1]) {
                case "circle" -> Imgproc.circle(image, new Point(cx, cy), 35, colour, -1, Imgproc.LINE_AA);
                case "square" -> Imgproc.rectangle(image, new Point(cx - 35, cy - 35), new Point(cx + 35, cy + 35), colour, -1);
                case "triangle" -> Imgproc.fillPoly(image, List.of(new MatOfPoint(new Point(cx, cy - 40),
                        new Point(cx - 35, cy + 20), new Point(cx + 35, cy + 20))), colour, Imgproc.LINE_AA);
                default -> throw new IllegalArgumentException(shapes.get(i));
            }
        }
        assertTrue(Imgcodecs.imwrite(file.toString(), image));
        image.release();
    }
}
