package io.glance.family.smolvlm;

import io.glance.generation.EncoderInput;
import io.glance.generation.ImagePreparation;
import io.glance.vision.DecodedImage;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Idefics3 image preprocessing driven by the model's {@link SmolVlmImageSettings}: longest-edge resize, cut into
 * row-major square tiles plus a global image (or the global image alone), rescale, normalize, RGB, CHW.
 *
 * <p>The reference resizes twice (to the longest edge, then up to tile multiples); here the final size is
 * computed with the reference's arithmetic and reached in one resample from the original, which keeps the
 * tile grid identical and loses less detail. Downscaling uses area averaging, upscaling Lanczos.
 * Stateless apart from its settings; safe on any thread.
 */
public final class ImagePreprocessor implements ImagePreparation {
    /** The reference caps the first resize at this many pixels per side. */
    private static final int MAX_SIDE = 4096;

    private final SmolVlmImageSettings settings;
    private final float[][] lut;

    public ImagePreprocessor(SmolVlmImageSettings settings) {
        this.settings = settings;
        this.lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = (v * settings.rescaleFactor() - settings.mean()[c]) / settings.std()[c];
            }
        }
    }

    /** The tile layout an image of this size gets, without touching pixels. */
    public TileLayout layoutFor(int width, int height) {
        if (!settings.splitImage()) {
            return new TileLayout(0, 0, settings.imageSeqLen());
        }
        int[] size = tiledSize(width, height);
        int tile = settings.tileSize();
        if (size[0] <= tile && size[1] <= tile) {
            return new TileLayout(0, 0, settings.imageSeqLen());
        }
        return new TileLayout(size[1] / tile, size[0] / tile, settings.imageSeqLen());
    }

    @Override
    public EncoderInput prepare(List<DecodedImage> images) {
        return preprocess(images);
    }

    /** Preprocesses the images of one prompt into one batch, in order. */
    public PixelBatch preprocess(List<DecodedImage> images) {
        int tile = settings.tileSize();
        List<TileLayout> layouts = new ArrayList<>(images.size());
        int count = 0;
        for (DecodedImage image : images) {
            TileLayout layout = layoutFor(image.width(), image.height());
            layouts.add(layout);
            count += layout.encoderInputs();
        }
        FloatBuffer pixels = ByteBuffer.allocateDirect(count * 3 * tile * tile * Float.BYTES)
                .order(ByteOrder.nativeOrder()).asFloatBuffer();
        for (int i = 0; i < images.size(); i++) {
            writeImage(images.get(i), layouts.get(i), pixels);
        }
        pixels.flip();
        return new PixelBatch(pixels, count, tile, List.copyOf(layouts));
    }

    private void writeImage(DecodedImage image, TileLayout layout, FloatBuffer out) {
        int tile = settings.tileSize();
        if (layout.isSplit()) {
            int width = layout.cols() * tile;
            int height = layout.rows() * tile;
            Mat grid = resized(image.bgr(), width, height);
            byte[] bytes = new byte[width * height * 3];
            grid.get(0, 0, bytes);
            grid.release();
            for (int r = 0; r < layout.rows(); r++) {
                for (int c = 0; c < layout.cols(); c++) {
                    writeChw(bytes, width, c * tile, r * tile, tile, out);
                }
            }
        }
        Mat global = resized(image.bgr(), tile, tile);
        byte[] bytes = new byte[tile * tile * 3];
        global.get(0, 0, bytes);
        global.release();
        writeChw(bytes, tile, 0, 0, tile, out);
    }

    /** Writes one {@code tile×tile} window of a BGR byte image as normalized RGB planes. */
    private void writeChw(byte[] bgr, int rowWidth, int x0, int y0, int tile, FloatBuffer out) {
        int plane = tile * tile;
        float[] r = lut[0];
        float[] g = lut[1];
        float[] b = lut[2];
        float[] planes = new float[3 * plane];
        for (int y = 0; y < tile; y++) {
            int src = ((y0 + y) * rowWidth + x0) * 3;
            int dst = y * tile;
            for (int x = 0; x < tile; x++, src += 3, dst++) {
                planes[dst] = r[bgr[src + 2] & 0xFF];
                planes[plane + dst] = g[bgr[src + 1] & 0xFF];
                planes[2 * plane + dst] = b[bgr[src] & 0xFF];
            }
        }
        out.put(planes);
    }

    private static Mat resized(Mat src, int width, int height) {
        Mat out = new Mat();
        boolean shrinking = (long) width * height < (long) src.cols() * src.rows();
        Imgproc.resize(src, out, new Size(width, height), 0, 0,
                shrinking ? Imgproc.INTER_AREA : Imgproc.INTER_LANCZOS4);
        return out;
    }

    /** {width, height} after the reference's longest-edge resize and round-up to tile multiples. */
    private int[] tiledSize(int width, int height) {
        int longest = settings.resizeLongestEdge();
        int w;
        int h;
        double aspect = (double) width / height;
        if (width >= height) {
            w = longest;
            h = (int) (w / aspect);
            h += h % 2;
        } else {
            h = longest;
            w = (int) (h * aspect);
            w += w % 2;
        }
        w = Math.max(w, 1);
        h = Math.max(h, 1);
        if (w >= h && w > MAX_SIDE) {
            h = Math.max((int) (MAX_SIDE / ((double) w / h)), 1);
            w = MAX_SIDE;
        } else if (h > w && h > MAX_SIDE) {
            w = Math.max((int) (MAX_SIDE * ((double) w / h)), 1);
            h = MAX_SIDE;
        }
        int tile = settings.tileSize();
        double ratio = (double) w / h;
        if (w >= h) {
            w = ceilTo(w, tile);
            h = ceilTo((int) (w / ratio), tile);
        } else {
            h = ceilTo(h, tile);
            w = ceilTo((int) (h * ratio), tile);
        }
        return new int[] {w, h};
    }

    private static int ceilTo(int value, int multiple) {
        return Math.max(1, (value + multiple - 1) / multiple) * multiple;
    }
}
