package io.glance.vision;

import org.opencv.core.Mat;

/**
 * A decoded picture ready for preprocessing: 8-bit, 3 channels in OpenCV's BGR order, EXIF orientation
 * applied, alpha composited onto white. Owns its native pixels: close it when done. Not thread-safe.
 */
public final class DecodedImage implements AutoCloseable {
    private final Mat bgr;

    /** Takes ownership of {@code bgr}, which must be {@code CV_8UC3}. */
    public DecodedImage(Mat bgr) {
        if (bgr.type() != org.opencv.core.CvType.CV_8UC3) {
            throw new IllegalArgumentException("expected an 8-bit 3-channel image, got type " + bgr.type());
        }
        this.bgr = bgr;
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    /** The pixels; stays owned by this image. */
    public Mat bgr() {
        return bgr;
    }

    @Override
    public void close() {
        bgr.release();
    }
}
