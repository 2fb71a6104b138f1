package io.glance.camera;

import io.glance.ui.ShapeScenes;
import io.glance.vision.DecodedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file camera through the grabber: a slow reader never holds the camera back and always sees the newest frame;
 * the display copy is scaled and mirrored as asked while the snapshot stays the full frame; paused, it decodes
 * nothing; capped, it decodes no more frames per second than asked.
 */
@Timeout(30)
class FrameGrabberTest {
    @TempDir
    Path temp;

    @Test
    void aSlowReaderSkipsToTheNewestFrame() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 320, 180, 30, 60);
        List<CameraState> states = new CopyOnWriteArrayList<>();
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(video), (state, message) -> states.add(state))) {
            grabber.start();
            long seen = awaitFrame(grabber, 0);

            AtomicInteger reads = new AtomicInteger();
            Thread.sleep(500);
            long later = grabber.readPreviewIfNewer(seen, frame -> {
                reads.incrementAndGet();
                assertEquals(320, frame.width());
            });

            assertTrue(later - seen >= 5, "about 15 frames arrived while the reader slept; it skipped to the "
                    + "newest (sequence " + seen + " → " + later + ")");
            assertEquals(1, reads.get(), "one read hands over one frame, however many arrived");
            try (DecodedImage copy = grabber.snapshot()) {
                assertNotNull(copy);
                assertEquals(180, copy.height());
            }
        }
        assertEquals(CameraState.OPENING, states.get(0));
        assertTrue(states.contains(CameraState.RUNNING), states.toString());
    }

    @Test
    void pausedItDecodesNothingNewAndKeepsTheLastFrameUntilResumed() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 320, 180, 30, 60);
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(video), (state, message) -> { })) {
            grabber.start();
            long seen = awaitFrame(grabber, 0);
            grabber.setPaused(true);
            Thread.sleep(100); // a frame being decoded when the pause came may still arrive
            long paused = grabber.readPreviewIfNewer(seen, frame -> { });

            Thread.sleep(400);
            assertEquals(paused, grabber.readPreviewIfNewer(paused, frame -> { }), "no frame published while paused");
            try (DecodedImage last = grabber.snapshot()) {
                assertNotNull(last, "the last decoded frame is still there to ask about");
            }

            grabber.setPaused(false);
            assertTrue(awaitFrame(grabber, paused) > paused, "frames again once resumed");
        }
    }

    @Test
    void cappedItDecodesNoMoreFramesPerSecondThanAsked() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 320, 180, 60, 120);
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(video), (state, message) -> { })) {
            grabber.setMaxFramesPerSecond(10);
            grabber.start();
            long first = awaitFrame(grabber, 0);
            Thread.sleep(1000);
            long second = grabber.readPreviewIfNewer(first, frame -> { });

            assertTrue(second - first >= 3 && second - first <= 12,
                    (second - first) + " frames decoded in a second of a 60 fps camera capped at 10");
            grabber.setMaxFramesPerSecond(0);
            Thread.sleep(100);
            long uncapped = grabber.readPreviewIfNewer(second, frame -> { });
            Thread.sleep(500);
            long later = grabber.readPreviewIfNewer(uncapped, frame -> { });
            assertTrue(later - uncapped > 12, (later - uncapped) + " frames in half a second once the cap is lifted");
        }
    }

    @Test
    void theDisplayCopyFitsTheBoxMirroredWhileTheSnapshotKeepsTheFullFrame() throws Exception {
        Path video = ShapeScenes.video(temp.resolve("camera.avi"), 640, 360, 30, 60);
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(video), (state, message) -> { })) {
            grabber.setPreviewFormat(new PreviewFormat(400, 400, true));
            grabber.start();
            awaitFrame(grabber, 0);
            Mat[] preview = new Mat[1];
            awaitFrame(grabber, 0, frame -> preview[0] = frame.bgra().clone());
            try (DecodedImage full = grabber.snapshot()) {
                assertEquals(List.of(400, 225, 4), List.of(preview[0].cols(), preview[0].rows(), preview[0].channels()),
                        "16:9 scaled into the box, BGRA");
                assertEquals(List.of(640, 360), List.of(full.width(), full.height()));
                // In the frame the red circle is on the left and the blue square on the right; mirrored, the other way.
                assertTrue(blueMinusRed(preview[0].submat(0, 225, 0, 200)) > 0, "blue square on the left");
                assertTrue(blueMinusRed(preview[0].submat(0, 225, 200, 400)) < 0, "red circle on the right");
            } finally {
                preview[0].release();
            }
        }
    }

    @Test
    void aMissingFileIsReportedAsUnavailable() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(temp.resolve("missing.avi")),
                (state, message) -> messages.add(state + ": " + message))) {
            grabber.start();
            for (int i = 0; i < 100 && messages.size() < 2; i++) {
                Thread.sleep(20);
            }
            assertTrue(messages.get(messages.size() - 1).startsWith("UNAVAILABLE"), messages.toString());
            assertEquals(0, grabber.readPreviewIfNewer(0, frame -> { throw new AssertionError("no frame"); }));
        }
    }

    private static double blueMinusRed(Mat bgra) {
        Scalar mean = Core.mean(bgra);
        return mean.val[0] - mean.val[2];
    }

    private static long awaitFrame(FrameGrabber grabber, long seen) throws InterruptedException {
        return awaitFrame(grabber, seen, frame -> { });
    }

    private static long awaitFrame(FrameGrabber grabber, long seen, Consumer<PreviewFrame> reader) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            long now = grabber.readPreviewIfNewer(seen, reader);
            if (now != seen) {
                return now;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no frame from the file camera");
    }
}
