package io.glance.vision;

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
        Axis columns = new Axis(inWidth, outWidth);
        Axis rows = new Axis(inHeight, outHeight);
        float[][] out = new float[planes.length][outWidth * outHeight];
        for (int c = 0; c < planes.length; c++) {
            float[] plane = planes[c];
            for (int y = 0; y < outHeight; y++) {
                int upper = rows.low[y] * inWidth;
                int lower = rows.high[y] * inWidth;
                float towardLower = rows.towardHigh[y];
                float towardUpper = rows.towardLow[y];
                for (int x = 0; x < outWidth; x++) {
                    float towardRight = columns.towardHigh[x];
                    float towardLeft = columns.towardLow[x];
                    int left = columns.low[x];
                    int right = columns.high[x];
                    out[c][y * outWidth + x] = towardLeft * towardUpper * plane[upper + left]
                            + towardRight * towardUpper * plane[upper + right]
                            + towardLeft * towardLower * plane[lower + left]
                            + towardRight * towardLower * plane[lower + right];
                }
            }
        }
        return out;
    }

    /** Per output position along one axis: its two neighbours and their weights (each the other's distance). */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final float[] towardHigh;
        final float[] towardLow;

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
