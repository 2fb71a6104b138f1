package io.glance.ui.viewer;

import io.glance.session.ImageRequest;
import io.glance.ui.ShapeScenes;
import io.glance.vision.BgraCanvas;
import io.glance.vision.DecodedImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A question about the live camera is about the frame taken when typing began, read ahead meanwhile, as long as
 * the camera still shows the same scene at Enter.
 */
@Tag("window")
class QuestionFrameTest {
    @TempDir
    Path temp;

    @BeforeAll
    static void startToolkit() throws Exception {
        FileCameraViewer.startToolkit();
    }

    /** A preview as displayed (BGRA), or a camera frame (BGR). */
    private static Mat scene(double blue, int squareX, int type) {
        Mat picture = new Mat(180, 320, type, new Scalar(blue, 120, 60, 255));
        picture.submat(40, 140, squareX, squareX + 100).setTo(new Scalar(250, 250, 250, 255));
        return picture;
    }

    /** A canvas showing {@code bgra}. */
    private static BgraCanvas shown(Mat bgra) {
        BgraCanvas canvas = BgraCanvas.allocate(bgra.cols(), bgra.rows());
        canvas.copyFrom(bgra);
        bgra.release();
        return canvas;
    }

    @Test
    void theSceneIsTheSameUnderNoiseAndNotWhenTheViewTurnsOrTheRegionChanges() {
        BgraCanvas typingBegan = shown(scene(30, 100, CvType.CV_8UC4));
        QuestionFrame frame = new QuestionFrame("camera-1", null, typingBegan);
        Mat noisyPicture = scene(30, 100, CvType.CV_8UC4);
        Mat noise = new Mat(noisyPicture.size(), noisyPicture.type());
        Core.randn(noise, 0, 3);
        Core.add(noisyPicture, noise, noisyPicture);
        noise.release();
        BgraCanvas noisy = shown(noisyPicture);
        BgraCanvas turned = shown(scene(200, 10, CvType.CV_8UC4));
        try {
            assertTrue(frame.sameScene(noisy, null), "sensor noise is the same scene");
            assertFalse(frame.sameScene(noisy, new RegionSelection(0, 0, 0.5, 0.5)),
                    "another region is another picture");
            assertFalse(frame.sameScene(turned, null), "another view is another scene");
        } finally {
            frame.closeScene();
            List.of(typingBegan, noisy, turned).forEach(BgraCanvas::close);
        }
    }

    @Test
    void copiesComeFromOneFrameTakenOnceUntilReleased() {
        BgraCanvas preview = shown(scene(30, 100, CvType.CV_8UC4));
        QuestionFrame frame = new QuestionFrame("camera-1", null, preview);
        AtomicInteger taken = new AtomicInteger();
        Supplier<DecodedImage> camera =
                () -> new DecodedImage(scene(taken.incrementAndGet() * 40, 100, CvType.CV_8UC3));
        try (DecodedImage first = frame.copy(camera); DecodedImage second = frame.copy(camera)) {
            assertEquals(1, taken.get(), "the camera is read once");
            assertEquals(0.0, Core.norm(first.bgr(), second.bgr()), "the same frame each time");
            second.bgr().setTo(new Scalar(0, 0, 0));
            try (DecodedImage third = frame.copy(camera)) {
                assertEquals(0.0, Core.norm(first.bgr(), third.bgr()), "each copy is the caller's own");
            }
        }
        frame.release();
        try (DecodedImage afterRelease = frame.copy(camera)) {
            assertEquals(2, taken.get(), "a released frame is taken anew from the camera");
            assertNotNull(afterRelease);
        } finally {
            frame.closeScene();
            preview.close();
        }
    }

    @Test
    void theLiveFrameOfTheQuestionBeingTypedIsTheOneAskedAboutOnce() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 640, 360, 30, 30);
        ViewerViewModel viewer = FileCameraViewer.started(video);
        try {
            ImageRequest typing = onFx(viewer::beginQuestion);
            assertNotNull(typing, "a live frame is shown");
            try (DecodedImage readAhead = typing.loader().get()) {
                Thread.sleep(300); // the file camera moves on: the circle drifts, the scene stays
                ImageRequest asked = onFx(viewer::questionRequest);
                assertEquals(typing.subjectId(), asked.subjectId());
                try (DecodedImage atEnter = asked.loader().get()) {
                    assertEquals(0.0, Core.norm(readAhead.bgr(), atEnter.bgr()), "the frame read ahead");
                }
            }
            ImageRequest next = onFx(viewer::questionRequest);
            assertNotEquals(typing.subjectId(), next.subjectId(), "the next question takes a new frame");

            ImageRequest typingAgain = onFx(viewer::beginQuestion);
            ImageRequest ofARegion = onFx(() -> {
                viewer.regionProperty().set(new RegionSelection(0.25, 0.25, 0.5, 0.5));
                return viewer.questionRequest();
            });
            assertNotEquals(typingAgain.subjectId(), ofARegion.subjectId(), "a region chosen since is a new picture");
        } finally {
            FileCameraViewer.close(viewer);
        }
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        return FileCameraViewer.onFx(action);
    }
}
