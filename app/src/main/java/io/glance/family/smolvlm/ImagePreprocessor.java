package io.glance.family.smolvlm;

import io.glance.generation.DirectFloats;
import io.glance.generation.EncoderInput;
import io.glance.generation.ImagePreparation;
import io.glance.vision.BilinearPlaneResampler;
import io.glance.vision.DecodedImage;
import io.glance.vision.EdgeResize;
import io.glance.vision.LanczosResampler;
import io.glance.vision.PixelNormalization;
import io.glance.vision.PlaneView;
import org.opencv.core.Mat;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Idefics3 image preprocessing driven by the model's {@link SmolVlmImageSettings}, step for step as transformers.js
 * 4.3.2 does it, so that every value equals the reference's ({@code SmolVlmPixelsTest}): resize to the longest edge
 * with sharp's Lanczos-3 ({@link LanczosResampler}), rescale and normalize, then, with splitting, interpolate
 * bilinearly ({@link BilinearPlaneResampler}) up to whole tiles, cut row-major square tiles and interpolate the
 * tiled picture down to the global image; without splitting, interpolate straight to one tile. Graphs that quantize
 * activations per tensor (int8, uint8, q8) turn the smallest difference in a pixel into different answers, which is
 * why this follows the reference rather than resampling once from the original.
 * Stateless apart from its settings; safe on any thread.
 */
public final class ImagePreprocessor implements ImagePreparation {
    private static final int CHANNELS = 3;

    private final SmolVlmImageSettings settings;
    private final PixelNormalization normalization;

    public ImagePreprocessor(SmolVlmImageSettings settings) {
        this.settings = settings;
        this.normalization = new PixelNormalization(settings.rescaleFactor(), settings.mean(), settings.std());
    }

    /** The tile layout an image of this size gets, without touching pixels. */
    public TileLayout layoutFor(int width, int height) {
        if (!settings.splitImage()) {
            return new TileLayout(0, 0, settings.imageSeqLen());
        }
        int[] size = tiledSize(resizedSize(width, height));
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
        DirectFloats values = new DirectFloats((long) count * CHANNELS * tile * tile);
        FloatBuffer pixels = values.floats();
        for (int i = 0; i < images.size(); i++) {
            writeImage(images.get(i), layouts.get(i), pixels);
        }
        return new PixelBatch(values, count, tile, layouts);
    }

    private void writeImage(DecodedImage image, TileLayout layout, FloatBuffer out) {
        int tile = settings.tileSize();
        int[] size = resizedSize(image.width(), image.height());
        byte[] bgr = bytesOf(image.bgr());
        if (layout.isSplit()) {
            // the tiled picture is never whole: each tile is interpolated on its own straight from the resized
            // bytes, and the global image from only the rows and columns of the tiled picture that it reads
            byte[] resized = LanczosResampler.resize(bgr, image.width(), image.height(), size[0], size[1]);
            PlaneView picture = normalization.view(resized);
            int width = layout.cols() * tile;
            int height = layout.rows() * tile;
            float[][] window = new float[CHANNELS][tile * tile];
            for (int r = 0; r < layout.rows(); r++) {
                for (int c = 0; c < layout.cols(); c++) {
                    BilinearPlaneResampler.resizeAt(picture, CHANNELS, size[0], size[1], width, height,
                            span(r * tile, tile), span(c * tile, tile), window);
                    writeTile(window, tile, 0, 0, out);
                }
            }
            int[] gridRows = BilinearPlaneResampler.sourcesRead(height, tile);
            int[] gridColumns = BilinearPlaneResampler.sourcesRead(width, tile);
            float[][] partialGrid = new float[CHANNELS][gridRows.length * gridColumns.length];
            BilinearPlaneResampler.resizeAt(picture, CHANNELS, size[0], size[1], width, height, gridRows, gridColumns,
                    partialGrid);
            writeTile(BilinearPlaneResampler.resize(partialGrid, gridRows, gridColumns, width, height, tile, tile),
                    tile, 0, 0, out);
        } else {
            // one tile reads only a few rows and columns of the resized picture: only those are resampled
            int[] rows = BilinearPlaneResampler.sourcesRead(size[1], tile);
            int[] columns = BilinearPlaneResampler.sourcesRead(size[0], tile);
            byte[] resized = LanczosResampler.resize(bgr, image.width(), image.height(), size[0], size[1], rows, columns);
            float[][] planes = normalization.rgbPlanes(resized, rows.length * columns.length);
            writeTile(BilinearPlaneResampler.resize(planes, rows, columns, size[0], size[1], tile, tile), tile, 0, 0, out);
        }
    }

    /** Writes the {@code tile×tile} window at {@code (x0, y0)} of planes {@code rowWidth} wide, channel by channel. */
    private void writeTile(float[][] planes, int rowWidth, int x0, int y0, FloatBuffer out) {
        int tile = settings.tileSize();
        for (float[] plane : planes) {
            for (int y = 0; y < tile; y++) {
                out.put(plane, (y0 + y) * rowWidth + x0, tile);
            }
        }
    }

    /** {@code length} positions from {@code first}. */
    private static int[] span(int first, int length) {
        return IntStream.range(first, first + length).toArray();
    }

    private static byte[] bytesOf(Mat bgr) {
        byte[] bytes = new byte[(int) bgr.total() * CHANNELS];
        bgr.get(0, 0, bytes);
        return bytes;
    }

    /** {@code {width, height}} of the first resize, to the longest edge. */
    private int[] resizedSize(int width, int height) {
        int[] size = new EdgeResize(0, settings.resizeLongestEdge()).sizeFor(width, height);
        return new int[] {Math.max(size[0], 1), Math.max(size[1], 1)};
    }

    /** {@code {width, height}} rounded up to whole tiles the way the reference does, keeping the aspect ratio. */
    private int[] tiledSize(int[] resized) {
        int tile = settings.tileSize();
        int width = resized[0];
        int height = resized[1];
        double aspect = (double) width / height;
        if (width >= height) {
            width = ceilTo(width, tile);
            height = ceilTo((int) Math.floor(width / aspect), tile);
        } else {
            height = ceilTo(height, tile);
            width = ceilTo((int) Math.floor(height * aspect), tile);
        }
        return new int[] {width, height};
    }

    private static int ceilTo(int value, int multiple) {
        return Math.max(1, (value + multiple - 1) / multiple) * multiple;
    }
}
