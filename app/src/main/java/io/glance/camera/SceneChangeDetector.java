package io.glance.camera;

import io.glance.vision.BgraCanvas;
import io.glance.vision.DecodedImage;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * Tells whether the scene has changed since the picture last accepted: both are shrunk to a small grey
 * thumbnail and compared by mean absolute difference (0..255), which ignores sensor noise and small
 * movements. Not thread-safe; use from one thread at a time.
 */
public final class SceneChangeDetector implements AutoCloseable {
    private static final Size THUMBNAIL = new Size(64, 36);

    private final Mat accepted = new Mat();

    /**
     * Compares {@code picture} with the picture last accepted; when the change
     * exceeds {@code threshold} (or there was none), {@code picture} becomes the accepted one.
     *
     * @return true when the scene changed beyond the threshold
     */
    public boolean acceptIfChanged(DecodedImage picture, double threshold) {
        return acceptIfChanged(picture.bgr(), threshold);
    }

    /** {@link #acceptIfChanged(Mat, double)} for the picture on a canvas. */
    public boolean acceptIfChanged(BgraCanvas picture, double threshold) {
        return acceptIfChanged(picture.bgra(), threshold);
    }

    /** {@link #acceptIfChanged(DecodedImage, double)} for an OpenCV picture, BGR or BGRA. */
    public boolean acceptIfChanged(Mat bgr, double threshold) {
        Mat small = new Mat();
        Mat grey = new Mat();
        Mat difference = new Mat();
        try {
            Imgproc.resize(bgr, small, THUMBNAIL, 0, 0, Imgproc.INTER_AREA);
            Imgproc.cvtColor(small, grey, bgr.channels() == 4 ? Imgproc.COLOR_BGRA2GRAY : Imgproc.COLOR_BGR2GRAY);
            if (!accepted.empty()) {
                Core.absdiff(grey, accepted, difference);
                if (Core.mean(difference).val[0] <= threshold) {
                    return false;
                }
            }
            grey.copyTo(accepted);
            return true;
        } finally {
            small.release();
            grey.release();
            difference.release();
        }
    }

    /** Forgets the accepted picture: the next one counts as changed. */
    public void reset() {
        accepted.release();
    }

    @Override
    public void close() {
        accepted.release();
    }
}
