package io.glance.vision;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.file.Path;

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

    /**
     * A picture from {@code width × height × 4} bytes of BGRA pixels (as read from the clipboard); alpha is
     * dropped.
     */
    public static DecodedImage fromBgra(byte[] bgra, int width, int height) {
        Mat withAlpha = new Mat(height, width, CvType.CV_8UC4);
        try {
            withAlpha.put(0, 0, bgra);
            Mat bgr = new Mat();
            Imgproc.cvtColor(withAlpha, bgr, Imgproc.COLOR_BGRA2BGR);
            return new DecodedImage(bgr);
        } finally {
            withAlpha.release();
        }
    }

    /** A copy the caller owns. */
    public DecodedImage copy() {
        return new DecodedImage(bgr.clone());
    }

    /** A copy of the rectangle at {@code (x, y)}, {@code width × height} pixels, which must lie inside; the caller owns it. */
    public DecodedImage crop(int x, int y, int width, int height) {
        return new DecodedImage(new Mat(bgr, new Rect(x, y, width, height)).clone());
    }

    /** A new image, scaled down (area averaging) so that its longest edge is at most {@code maxEdge}; the caller owns it. */
    public DecodedImage scaledCopy(int maxEdge) {
        double scale = Math.min(1.0, (double) maxEdge / Math.max(bgr.cols(), bgr.rows()));
        Mat small = new Mat();
        Imgproc.resize(bgr, small, new Size(Math.max(1, bgr.cols() * scale), Math.max(1, bgr.rows() * scale)),
                0, 0, Imgproc.INTER_AREA);
        return new DecodedImage(small);
    }

    /** Writes the picture as a JPEG file. */
    public void writeJpeg(Path file) throws IOException {
        if (!Imgcodecs.imwrite(file.toString(), bgr)) {
            throw new IOException("cannot write " + file);
        }
    }

    @Override
    public void close() {
        bgr.release();
    }
}
