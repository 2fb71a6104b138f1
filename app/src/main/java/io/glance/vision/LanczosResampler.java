package io.glance.vision;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Resizes 8-bit 3-channel pixels the way transformers.js does for processors that ask for Lanczos: sharp's
 * {@code resize} with kernel {@code lanczos3}, which is libvips 8.18's {@code vips_resize}. An axis that shrinks is
 * reduced vertically first, then horizontally: when it shrinks at least four times, a box filter first takes the
 * integer part ({@code shrinkv}/{@code shrinkh}, rounding up the size), then a Lanczos-3 kernel the rest
 * ({@code reducev}/{@code reduceh}: taps from the fraction rounded to 1/64, weights truncated to 12 bits, sums
 * rounded, edges copied). An axis that grows goes through libvips's bicubic {@code affine} sampled half a pixel in,
 * edges copied ({@link BicubicResampler#resampleAt}). Every value equals sharp 0.35's ({@code SmolVlmPixelsTest}).
 * Stateless; safe on any thread.
 */
public final class LanczosResampler {
    private static final int CHANNELS = 3;
    private static final int FRACTION_STEPS = 64;
    private static final int SHIFT = 12;
    private static final int ONE = 1 << SHIFT;
    /** libvips takes an integer box shrink first when the reduction leaves at least this factor for the kernel. */
    private static final double REDUCE_GAP = 2.0;
    /** libvips's affine borders its input by the bicubic window offset plus one pixel. */
    private static final int AFFINE_BORDER = 2;

    private LanczosResampler() {
    }

    /**
     * @param pixels interleaved 3-channel bytes, {@code inHeight} rows of {@code inWidth}
     * @return interleaved 3-channel bytes, {@code outHeight} rows of {@code outWidth}; {@code pixels} as they are
     *         when the size does not change
     */
    public static byte[] resize(byte[] pixels, int inWidth, int inHeight, int outWidth, int outHeight) {
        return resize(pixels, inWidth, inHeight, outWidth, outHeight, everyIndex(outHeight), everyIndex(outWidth));
    }

    /**
     * Only some rows and columns of {@link #resize(byte[], int, int, int, int)}'s result, each value equal to the
     * full result's: what a following step that reads a few of them (a shrink without antialiasing) needs, at a
     * fraction of the work where both axes shrink or both grow.
     *
     * @param rows    rows of the full result, ascending
     * @param columns columns of the full result, ascending
     * @return interleaved 3-channel bytes, {@code rows.length} rows of {@code columns.length}
     */
    public static byte[] resize(byte[] pixels, int inWidth, int inHeight, int outWidth, int outHeight,
                                int[] rows, int[] columns) {
        // sharp passes scale factors, 1 / (in / out), and libvips keeps every axis at least one pixel
        double horizontal = Math.max(1.0 / ((double) inWidth / outWidth), 1.0 / inWidth);
        double vertical = Math.max(1.0 / ((double) inHeight / outHeight), 1.0 / inHeight);
        Raster image = new Raster(pixels, inWidth, inHeight);
        boolean sameWay = (horizontal <= 1.0) == (vertical <= 1.0);
        int[] keptRows = sameWay ? rows : everyIndex(outHeight);
        int[] keptColumns = sameWay ? columns : everyIndex(outWidth);
        if (vertical < 1.0) {
            image = reduce(image, 1.0 / vertical, false, keptRows);
        }
        if (horizontal < 1.0) {
            image = reduce(image, 1.0 / horizontal, true, keptColumns);
        }
        if (horizontal > 1.0 || vertical > 1.0) {
            image = enlarge(image, Math.max(horizontal, 1.0), Math.max(vertical, 1.0), keptRows, keptColumns);
        }
        // an axis left whole (its size unchanged, or computed whole because the axes went different ways) is picked
        // now; with no change of size at all, this is the whole result
        int[] pickRows = image.height == rows.length ? everyIndex(rows.length) : rows;
        int[] pickColumns = image.width == columns.length ? everyIndex(columns.length) : columns;
        return image.select(pickRows, pickColumns).pixels;
    }

    private static int[] everyIndex(int length) {
        return IntStream.range(0, length).toArray();
    }

    /** Interleaved pixels and their size. */
    private record Raster(byte[] pixels, int width, int height) {
        int length(boolean across) {
            return across ? width : height;
        }

        /** The given rows and columns, in order. */
        Raster select(int[] rows, int[] columns) {
            if (rows.length == height && columns.length == width) {
                return this;
            }
            byte[] out = new byte[rows.length * columns.length * CHANNELS];
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < columns.length; c++) {
                    System.arraycopy(pixels, (rows[r] * width + columns[c]) * CHANNELS, out,
                            (r * columns.length + c) * CHANNELS, CHANNELS);
                }
            }
            return new Raster(out, columns.length, rows.length);
        }
    }

    /**
     * libvips {@code reduceh} ({@code across}) or {@code reducev} with their default gap: the axis reduced by
     * {@code shrink}, after an integer box shrink where the reduction is large; of the result, only the positions
     * {@code kept}.
     */
    private static Raster reduce(Raster in, double shrink, boolean across, int[] kept) {
        int length = in.length(across);
        int size = (int) (length / shrink + 0.5);
        double extra = size * shrink - length;
        double residual = shrink;
        int boxShrink = Math.max(1, (int) Math.floor((double) length / size / REDUCE_GAP));
        if (boxShrink > 1) {
            in = boxShrink(in, boxShrink, across);
            length = in.length(across);
            residual /= boxShrink;
            extra /= boxShrink;
        }
        if (residual == 1.0) {
            return across ? in.select(everyIndex(in.height), kept) : in.select(kept, everyIndex(in.width));
        }
        int points = (int) (2 * Math.rint(3 * residual) + 1);
        short[][] masks = lanczosMasks(points, residual);
        double offset = (1 + extra) / 2.0 - 1;
        int border = (int) Math.ceil(points / 2.0) - 1;
        int[] sources = new int[kept.length * points];
        short[][] maskOf = new short[kept.length][];
        for (int k = 0; k < kept.length; k++) {
            double position = (kept[k] + 0.5) * residual - 0.5 - offset;
            int twice = (int) (position * FRACTION_STEPS * 2);
            maskOf[k] = masks[((twice & (FRACTION_STEPS * 2 - 1)) + 1) >> 1];
            for (int i = 0; i < points; i++) {
                sources[k * points + i] = Math.max(0, Math.min(length - 1, (int) position - border + i));
            }
        }
        int count = kept.length;
        return across ? filterAcross(in, count, points, sources, maskOf) : filterDown(in, count, points, sources, maskOf);
    }

    private static Raster filterAcross(Raster in, int width, int points, int[] sources, short[][] maskOf) {
        byte[] out = new byte[width * in.height * CHANNELS];
        IntStream.range(0, in.height).parallel().forEach(y -> {
            int row = y * in.width * CHANNELS;
            for (int x = 0; x < width; x++) {
                short[] mask = maskOf[x];
                for (int c = 0; c < CHANNELS; c++) {
                    int sum = ONE / 2;
                    for (int i = 0; i < points; i++) {
                        sum += mask[i] * (in.pixels[row + sources[x * points + i] * CHANNELS + c] & 0xFF);
                    }
                    out[(y * width + x) * CHANNELS + c] = (byte) Math.max(0, Math.min(255, sum >> SHIFT));
                }
            }
        });
        return new Raster(out, width, in.height);
    }

    private static Raster filterDown(Raster in, int height, int points, int[] sources, short[][] maskOf) {
        int rowLength = in.width * CHANNELS;
        byte[] out = new byte[in.width * height * CHANNELS];
        IntStream.range(0, height).parallel().forEach(y -> {
            int[] sums = new int[rowLength];
            Arrays.fill(sums, ONE / 2);
            short[] mask = maskOf[y];
            for (int i = 0; i < points; i++) {
                int row = sources[y * points + i] * rowLength;
                int weight = mask[i];
                for (int e = 0; e < rowLength; e++) {
                    sums[e] += weight * (in.pixels[row + e] & 0xFF);
                }
            }
            for (int e = 0; e < rowLength; e++) {
                out[y * rowLength + e] = (byte) Math.max(0, Math.min(255, sums[e] >> SHIFT));
            }
        });
        return new Raster(out, in.width, height);
    }

    /**
     * libvips {@code shrinkh} ({@code across}) or {@code shrinkv} with {@code ceil}: the mean of each {@code factor}
     * pixels in libvips's fixed point, the last block padded by copying the edge.
     */
    private static Raster boxShrink(Raster in, int factor, boolean across) {
        int size = (int) Math.ceil((double) in.length(across) / factor);
        int width = across ? size : in.width;
        int height = across ? in.height : size;
        long multiplier = (1L << 32) / (256L * factor);
        int rowLength = width * CHANNELS;
        byte[] out = new byte[height * rowLength];
        IntStream.range(0, height).parallel().forEach(y -> {
            for (int e = 0; e < rowLength; e++) {
                int x = e / CHANNELS;
                int c = e % CHANNELS;
                long sum = factor / 2;
                for (int i = 0; i < factor; i++) {
                    int sourceX = across ? Math.min(in.width - 1, x * factor + i) : x;
                    int sourceY = across ? y : Math.min(in.height - 1, y * factor + i);
                    sum += in.pixels[(sourceY * in.width + sourceX) * CHANNELS + c] & 0xFF;
                }
                out[y * rowLength + e] = (byte) ((sum * multiplier) >>> 24);
            }
        });
        return new Raster(out, width, height);
    }

    /** The 65 Lanczos-3 masks of {@code points} taps for fractions 0, 1/64, …, 1, normalized, in 12-bit fixed point. */
    private static short[][] lanczosMasks(int points, double shrink) {
        short[][] masks = new short[FRACTION_STEPS + 1][points];
        double[] weights = new double[points];
        for (int step = 0; step <= FRACTION_STEPS; step++) {
            double fraction = (float) step / FRACTION_STEPS;
            double half = fraction + points / 2.0 - 1;
            double sum = 0;
            for (int i = 0; i < points; i++) {
                weights[i] = lanczos3((i - half) / shrink);
                sum += weights[i];
            }
            for (int i = 0; i < points; i++) {
                masks[step][i] = (short) (weights[i] / sum * ONE);
            }
        }
        return masks;
    }

    private static double lanczos3(double x) {
        return x >= -3 && x <= 3 ? sinc(x) * sinc(x / 3) : 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double angle = x * Math.PI;
        return StrictMath.sin(angle) / angle;
    }

    /**
     * libvips {@code affine} by {@code (horizontal, vertical)} with input offset ½ as {@code vips_resize} calls it:
     * output pixel {@code x} samples {@code ia · x − ½} of the input (the inverse matrix computed as libvips does,
     * positions along a row accumulated from its start).
     */
    private static Raster enlarge(Raster in, double horizontal, double vertical, int[] rows, int[] columns) {
        int width = (int) Math.round(in.width * horizontal);
        double inverse = 1.0 / (horizontal * vertical);
        double columnStep = inverse * vertical;
        double rowStep = inverse * horizontal;
        // positions in the bordered input: less the input offset (½ minus the one-pixel border libvips compensates
        // for), plus the bicubic window offset of 1, in libvips's order of operations
        double offset = 0.5 - 1;
        double[] along = new double[width];
        double position = 0.0 - offset + 1;
        for (int x = 0; x < width; x++) {
            along[x] = position;
            position += columnStep;
        }
        double[] columnPositions = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            columnPositions[c] = along[columns[c]];
        }
        double[] rowPositions = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            rowPositions[r] = rowStep * rows[r] - offset + 1;
        }
        byte[] out = BicubicResampler.resampleAt(in.pixels, in.width, in.height, columnPositions, rowPositions,
                AFFINE_BORDER);
        return new Raster(out, columns.length, rows.length);
    }

}
