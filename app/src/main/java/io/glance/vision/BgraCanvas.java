package io.glance.vision;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A picture for the screen: {@code width × height} BGRA pixels in one direct buffer, which the window shows
 * without copying (a JavaFX {@code PixelBuffer} over {@link #pixels()}) while stills and camera previews are
 * drawn into it through OpenCV. Owns native memory: close it. Not thread-safe: draw and show on one thread.
 */
public final class BgraCanvas implements AutoCloseable {
    private final ByteBuffer pixels;
    private final Mat bgra;

    private BgraCanvas(int width, int height) {
        pixels = ByteBuffer.allocateDirect(width * height * 4).order(ByteOrder.nativeOrder());
        bgra = new Mat(height, width, CvType.CV_8UC4, pixels);
    }

    /** A black canvas of the given size. */
    public static BgraCanvas allocate(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("a canvas of " + width + "×" + height + " pixels");
        }
        return new BgraCanvas(width, height);
    }

    public int width() {
        return bgra.cols();
    }

    public int height() {
        return bgra.rows();
    }

    /** The pixels, BGRA row by row, premultiplied (alpha is always opaque). */
    public ByteBuffer pixels() {
        return pixels;
    }

    /** Draws {@code picture}, which must have this canvas's size, mirrored left to right if asked. */
    public void drawStill(DecodedImage picture, boolean mirrored) {
        Imgproc.cvtColor(picture.bgr(), bgra, Imgproc.COLOR_BGR2BGRA);
        if (mirrored) {
            Core.flip(bgra, bgra, 1);
        }
    }

    /** Copies a BGRA picture of this canvas's size (a camera preview made for the screen). */
    public void copyFrom(Mat bgraPicture) {
        bgraPicture.copyTo(bgra);
    }

    /** The pixels as an OpenCV matrix over the same memory; stays owned by this canvas. */
    public Mat bgra() {
        return bgra;
    }

    @Override
    public void close() {
        bgra.release();
    }
}
