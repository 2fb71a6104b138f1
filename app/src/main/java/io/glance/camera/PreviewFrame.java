package io.glance.camera;

import io.glance.vision.BgraCanvas;
import org.opencv.core.Mat;

/**
 * The display copy of a camera frame, BGRA, scaled and mirrored for the screen on the camera thread. Lent to a
 * reader by {@link FrameGrabber#readPreviewIfNewer} for the duration of the call only. Not thread-safe.
 */
public final class PreviewFrame {
    private final Mat bgra;

    PreviewFrame(Mat bgra) {
        this.bgra = bgra;
    }

    public int width() {
        return bgra.cols();
    }

    public int height() {
        return bgra.rows();
    }

    /** Copies the frame into {@code canvas}, which must have its size. */
    public void copyTo(BgraCanvas canvas) {
        canvas.copyFrom(bgra);
    }

    /** The pixels; owned by the grabber and valid during the read only. */
    public Mat bgra() {
        return bgra;
    }
}
