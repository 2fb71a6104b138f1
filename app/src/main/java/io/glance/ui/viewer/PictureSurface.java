package io.glance.ui.viewer;

import io.glance.camera.PreviewFrame;
import io.glance.vision.BgraCanvas;
import io.glance.vision.DecodedImage;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.image.Image;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.nio.IntBuffer;
import java.util.function.Consumer;

/**
 * What the picture area shows: one {@link BgraCanvas} handed to JavaFX through a {@link PixelBuffer} over the
 * same memory, into which stills and live previews are drawn, and the live preview's frame rate. The canvas's
 * opaque BGRA bytes are premultiplied ARGB ints on the little-endian machines Glance ships for (x64, arm64), so
 * the software renderer copies a frame without converting each pixel (as BGRA bytes the conversion kept the
 * preview under 10 fps while an answer streamed). FX thread only.
 */
final class PictureSurface {
    private final ReadOnlyObjectWrapper<Image> picture = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper previewFps = new ReadOnlyDoubleWrapper();
    private BgraCanvas canvas;
    private PixelBuffer<IntBuffer> pixelBuffer;
    private int framesThisSecond;
    private long secondStartedAt;

    /** The picture to show; its pixels change in place while live. */
    ReadOnlyObjectProperty<Image> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    /** Live preview frames drawn per second, over the last second. */
    ReadOnlyDoubleProperty previewFpsProperty() {
        return previewFps.getReadOnlyProperty();
    }

    /** What is drawn now, or null before the first picture. */
    BgraCanvas canvas() {
        return canvas;
    }

    /** Shows a still (mirrored if asked). */
    void drawStill(DecodedImage still, boolean mirrored) {
        paint(still.width(), still.height(), target -> target.drawStill(still, mirrored));
    }

    /** Shows a live frame's display copy (scaled and mirrored on the camera thread) and counts it. */
    void drawPreview(PreviewFrame preview) {
        paint(preview.width(), preview.height(), preview::copyTo);
        framesThisSecond++;
    }

    /** Called once per pulse at {@code now} (nanoseconds): updates the frame rate each second. */
    void pulse(long now) {
        if (now - secondStartedAt >= 1_000_000_000L) {
            double seconds = (now - secondStartedAt) / 1e9;
            previewFps.set(secondStartedAt == 0 ? 0 : framesThisSecond / seconds);
            framesThisSecond = 0;
            secondStartedAt = now;
        }
    }

    /**
     * Lets {@code fill} write a {@code width} × {@code height} picture into the canvas, made anew (and shown as a
     * new image) when the size changed.
     */
    private void paint(int width, int height, Consumer<BgraCanvas> fill) {
        if (pixelBuffer == null || pixelBuffer.getWidth() != width || pixelBuffer.getHeight() != height) {
            if (canvas != null) {
                canvas.close();
            }
            canvas = BgraCanvas.allocate(width, height);
            pixelBuffer = new PixelBuffer<>(width, height, canvas.pixels().asIntBuffer(),
                    PixelFormat.getIntArgbPreInstance());
            fill.accept(canvas);
            picture.set(new WritableImage(pixelBuffer));
            return;
        }
        pixelBuffer.updateBuffer(buffer -> {
            fill.accept(canvas);
            return null;
        });
    }
}
