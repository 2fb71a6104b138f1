package io.glance.camera;

import io.glance.ui.ShapeScenes;
import io.glance.vision.DecodedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A file camera through the grabber: a slow reader never holds the camera back and always sees the newest frame. */
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
            long later = grabber.readIfNewer(seen, frame -> {
                reads.incrementAndGet();
                assertEquals(320, frame.cols());
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
    void aMissingFileIsReportedAsUnavailable() throws Exception {
        List<String> messages = new CopyOnWriteArrayList<>();
        try (FrameGrabber grabber = new FrameGrabber(FrameSource.forFile(temp.resolve("missing.avi")),
                (state, message) -> messages.add(state + ": " + message))) {
            grabber.start();
            for (int i = 0; i < 100 && messages.size() < 2; i++) {
                Thread.sleep(20);
            }
            assertTrue(messages.get(messages.size() - 1).startsWith("UNAVAILABLE"), messages.toString());
            assertEquals(0, grabber.readIfNewer(0, frame -> { throw new AssertionError("no frame"); }));
        }
    }

    private static long awaitFrame(FrameGrabber grabber, long seen) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            long now = grabber.readIfNewer(seen, frame -> { });
            if (now != seen) {
                return now;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no frame from the file camera");
    }
}
