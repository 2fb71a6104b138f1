package io.glance.ui.viewer;

import io.glance.camera.FrameGrabber;
import io.glance.session.ImageOrigin;
import io.glance.session.ImageRequest;
import io.glance.vision.BgraCanvas;

import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The live frame of the question being typed ({@link QuestionFrame}), held from when typing begins until it is
 * asked about once, the scene changes, or the picture area shows something else. FX thread; held frames are
 * freed on the inference executor, after any question that still reads them.
 */
final class TypedQuestionFrame {
    private final Executor inference;
    private QuestionFrame held;
    /** Whether {@link #held} was already asked about (a new question takes a new frame). */
    private boolean asked;

    TypedQuestionFrame(Executor inference) {
        this.inference = inference;
    }

    /**
     * Holds the frame shown now for a question being typed.
     *
     * @param shown      the preview on screen now
     * @param region     the region as shown, for the scene test
     * @param unmirrored the region in the frame's own orientation, for the request
     */
    ImageRequest begin(BgraCanvas shown, RegionSelection region, FrameGrabber source, RegionSelection unmirrored) {
        replace(new QuestionFrame("camera-" + UUID.randomUUID(), region, shown));
        return request(held, source, unmirrored);
    }

    /**
     * The held frame's request, once, while {@code shown} is still the same scene in the same region; null
     * otherwise (the question then takes a new frame).
     */
    ImageRequest ask(BgraCanvas shown, RegionSelection region, FrameGrabber source, RegionSelection unmirrored) {
        if (held == null || asked || !held.sameScene(shown, region)) {
            return null;
        }
        asked = true;
        return request(held, source, unmirrored);
    }

    /** Lets go of the held frame. */
    void drop() {
        replace(null);
    }

    /** What a live frame is called, for people. */
    static String label(FrameGrabber source, RegionSelection region) {
        return source.source().displayName() + (region == null ? "" : " (region)");
    }

    private static ImageRequest request(QuestionFrame frame, FrameGrabber source, RegionSelection unmirrored) {
        return new ImageRequest(frame.subjectId(), label(source, unmirrored), ImageOrigin.CAMERA,
                () -> frame.copy(() -> RegionSelection.crop(source.snapshot(), unmirrored)));
    }

    private void replace(QuestionFrame next) {
        QuestionFrame previous = held;
        held = next;
        asked = false;
        if (previous != null) {
            previous.closeScene();
            inference.execute(previous::release);
        }
    }
}
