package io.glance.vision;

/**
 * Rescale and normalize as the reference's image processors do it in float32 ({@code v · factor}, then
 * {@code (v − mean) / std} per RGB channel), as a table from byte value to the float the vision encoder reads.
 * Immutable; safe on any thread.
 */
public final class PixelNormalization {
    private static final int CHANNELS = 3;

    /** Per channel (RGB), each byte value rescaled and normalized in float32 as the reference's arrays hold it. */
    private final float[][] table = new float[CHANNELS][256];

    /**
     * @param rescaleFactor the processor's {@code rescale_factor} (1/255 as published)
     * @param mean          per RGB channel
     * @param std           per RGB channel
     */
    public PixelNormalization(double rescaleFactor, double[] mean, double[] std) {
        for (int c = 0; c < CHANNELS; c++) {
            for (int v = 0; v < 256; v++) {
                float rescaled = (float) (rescaleFactor * v);
                table[c][v] = (float) ((rescaled - mean[c]) / std[c]);
            }
        }
    }

    /**
     * RGB planes from interleaved BGR bytes.
     *
     * @param bgr    {@code pixels} pixels of 3 bytes, blue first
     * @param pixels how many pixels
     * @return three planes of {@code pixels} floats: red, green, blue
     */
    public float[][] rgbPlanes(byte[] bgr, int pixels) {
        PlaneView view = view(bgr);
        float[][] planes = new float[CHANNELS][pixels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < CHANNELS; c++) {
                planes[c][p] = view.value(c, p);
            }
        }
        return planes;
    }

    /**
     * The RGB planes of interleaved BGR bytes, normalized as they are read: the same values as {@link #rgbPlanes},
     * without a float copy of the picture. The view reads {@code bgr} as it is then.
     */
    public PlaneView view(byte[] bgr) {
        return (channel, index) -> table[channel][bgr[index * CHANNELS + (2 - channel)] & 0xFF];
    }
}
