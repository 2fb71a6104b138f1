package io.glance.vision;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Resizes float planes the way transformers.js's {@code interpolate_4d} does: an ONNX Runtime {@code Resize} node,
 * mode {@code linear}, coordinates {@code half_pixel}, no antialiasing. Source positions
 * {@code (x + ½) / scale − ½} in float32 with the scale {@code out / in} in float32, clamped to the plane; each
 * output is the four neighbours weighted by the products of the opposite distances, summed in ONNX Runtime 1.30's
 * order in float32, so every value equals the reference's ({@code SmolVlmPixelsTest}). Stateless; safe on any thread.
 */
public final class BilinearPlaneResampler {
    private BilinearPlaneResampler() {
    }

    /**
     * @param planes planes of {@code inHeight × inWidth} floats, row after row
     * @return as many planes of {@code outHeight × outWidth} floats; {@code planes} when the size does not change
     */
    public static float[][] resize(float[][] planes, int inWidth, int inHeight, int outWidth, int outHeight) {
        if (inWidth == outWidth && inHeight == outHeight) {
            return planes;
        }
        return resize(planes, IntStream.range(0, inHeight).toArray(), IntStream.range(0, inWidth).toArray(),
                inWidth, inHeight, outWidth, outHeight);
    }

    /** The input positions (rows, or columns) that a resize from {@code in} to {@code out} reads, ascending. */
    public static int[] sourcesRead(int in, int out) {
        Axis axis = new Axis(in, out);
        return IntStream.concat(Arrays.stream(axis.low), Arrays.stream(axis.high)).distinct().sorted().toArray();
    }

    /**
     * The resize of an {@code inWidth × inHeight} plane of which {@code planes} hold only some rows and columns
     * (at least those {@link #sourcesRead} names).
     *
     * @param planes  planes of {@code rows.length × columns.length} floats, row after row
     * @param rows    which rows of the whole plane they hold, ascending
     * @param columns which columns, ascending
     */
    public static float[][] resize(float[][] planes, int[] rows, int[] columns, int inWidth, int inHeight,
                                   int outWidth, int outHeight) {
        float[][] out = new float[planes.length][outWidth * outHeight];
        sample((channel, index) -> planes[channel][index], planes.length, columns.length,
                new Axis(inWidth, outWidth).within(columns), new Axis(inHeight, outHeight).within(rows),
                IntStream.range(0, outHeight).toArray(), IntStream.range(0, outWidth).toArray(), out);
        return out;
    }

    /**
     * Some rows and columns of a resize, computed alone: the values that {@link #resize(float[][], int, int, int,
     * int)} gives at those positions, without the whole output (a tiled picture's tiles one at a time, or only what
     * a further resize reads).
     *
     * @param source     {@code channels} planes of {@code inHeight × inWidth}
     * @param outRows    which rows of the {@code outWidth × outHeight} output to compute
     * @param outColumns which columns
     * @param into       per channel, {@code outRows.length × outColumns.length} floats, row after row; overwritten
     */
    public static void resizeAt(PlaneView source, int channels, int inWidth, int inHeight, int outWidth,
                                int outHeight, int[] outRows, int[] outColumns, float[][] into) {
        if (inWidth == outWidth && inHeight == outHeight) {
            for (int c = 0; c < channels; c++) {
                int at = 0;
                for (int y : outRows) {
                    for (int x : outColumns) {
                        into[c][at++] = source.value(c, y * inWidth + x);
                    }
                }
            }
            return;
        }
        sample(source, channels, inWidth, new Axis(inWidth, outWidth), new Axis(inHeight, outHeight), outRows,
                outColumns, into);
    }

    /**
     * The kernel of every resize: each output at ({@code outRows[i]}, {@code outColumns[j]}) is its four neighbours
     * in {@code source} (rows {@code stride} values apart), weighted by the products of the opposite distances and
     * summed in ONNX Runtime's order.
     */
    private static void sample(PlaneView source, int channels, int stride, Axis across, Axis down, int[] outRows,
                               int[] outColumns, float[][] into) {
        for (int c = 0; c < channels; c++) {
            float[] out = into[c];
            int at = 0;
            for (int y : outRows) {
                int upper = down.low[y] * stride;
                int lower = down.high[y] * stride;
                float towardLower = down.towardHigh[y];
                float towardUpper = down.towardLow[y];
                for (int x : outColumns) {
                    float towardRight = across.towardHigh[x];
                    float towardLeft = across.towardLow[x];
                    int left = across.low[x];
                    int right = across.high[x];
                    out[at++] = towardLeft * towardUpper * source.value(c, upper + left)
                            + towardRight * towardUpper * source.value(c, upper + right)
                            + towardLeft * towardLower * source.value(c, lower + left)
                            + towardRight * towardLower * source.value(c, lower + right);
                }
            }
        }
    }

    /** Per output position along one axis: its two neighbours and their weights (each the other's distance). */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final float[] towardHigh;
        final float[] towardLow;

        private Axis(int[] low, int[] high, float[] towardHigh, float[] towardLow) {
            this.low = low;
            this.high = high;
            this.towardHigh = towardHigh;
            this.towardLow = towardLow;
        }

        /** The same neighbours as positions within {@code held} (the input positions a partial plane holds). */
        Axis within(int[] held) {
            return new Axis(indexIn(held, low), indexIn(held, high), towardHigh, towardLow);
        }

        private static int[] indexIn(int[] held, int[] positions) {
            int[] indices = new int[positions.length];
            for (int i = 0; i < positions.length; i++) {
                indices[i] = Arrays.binarySearch(held, positions[i]);
                if (indices[i] < 0) {
                    throw new IllegalArgumentException("input position " + positions[i] + " is not held");
                }
            }
            return indices;
        }

        Axis(int in, int out) {
            low = new int[out];
            high = new int[out];
            towardHigh = new float[out];
            towardLow = new float[out];
            float scale = (float) out / (float) in;
            for (int i = 0; i < out; i++) {
                float position = scale == 1f ? i : ((i + 0.5f) / scale) - 0.5f;
                position = Math.max(0f, Math.min(position, (float) (in - 1)));
                low[i] = Math.min((int) position, in - 1);
                high[i] = Math.min(low[i] + 1, in - 1);
                towardHigh[i] = Math.abs(position - low[i]);
                towardLow[i] = Math.abs(position - high[i]);
                if (low[i] == high[i]) {
                    towardHigh[i] = 0.5f;
                    towardLow[i] = 0.5f;
                }
            }
        }
    }
}
