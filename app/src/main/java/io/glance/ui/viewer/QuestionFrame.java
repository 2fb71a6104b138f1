package io.glance.ui.viewer;

import io.glance.camera.SceneChangeDetector;
import io.glance.vision.BgraCanvas;
import io.glance.vision.DecodedImage;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The camera frame a question being typed is about. It is taken when typing begins, so the vision encoder can
 * read it ahead while the person types, and it is still the frame asked about at Enter when the camera shows
 * the same scene then; otherwise the question takes a new frame. The scene test (the preview as a small grey
 * thumbnail) runs on the FX thread; the frame is taken, copied and released on the inference thread, in the
 * order those tasks run there.
 */
final class QuestionFrame {
    /**
     * Mean difference of the grey thumbnails (0..255) up to which the scene counts as the same: sensor noise and a
     * steady hand stay under it; turning to another object, or an object moving through the view, does not.
     */
    static final double SAME_SCENE_THRESHOLD = 6.0;

    private final String subjectId;
    private final RegionSelection region;
    /** FX thread. */
    private final SceneChangeDetector scene = new SceneChangeDetector();
    /** Inference thread. */
    private DecodedImage frame;
    private boolean released;

    /**
     * @param preview the live preview shown now
     * @param region  the region asked about, or null for the whole frame
     */
    QuestionFrame(String subjectId, RegionSelection region, BgraCanvas preview) {
        this.subjectId = subjectId;
        this.region = region;
        scene.acceptIfChanged(preview, 0);
    }

    String subjectId() {
        return subjectId;
    }

    /** FX thread: whether {@code preview} still shows the scene of when typing began, with the same region. */
    boolean sameScene(BgraCanvas preview, RegionSelection regionNow) {
        return Objects.equals(region, regionNow) && !scene.acceptIfChanged(preview, SAME_SCENE_THRESHOLD);
    }

    /**
     * Inference thread: a copy of the held frame, taken from {@code camera} on the first call; once released,
     * a new frame from {@code camera}. The caller owns what it gets; null when the camera has none.
     */
    DecodedImage copy(Supplier<DecodedImage> camera) {
        if (released) {
            return camera.get();
        }
        if (frame == null) {
            frame = camera.get();
            if (frame == null) {
                return null;
            }
        }
        return frame.copy();
    }

    /** Inference thread: frees the frame; later copies come from the camera. */
    void release() {
        released = true;
        if (frame != null) {
            frame.close();
            frame = null;
        }
    }

    /** FX thread: frees the scene thumbnail. */
    void closeScene() {
        scene.close();
    }
}
