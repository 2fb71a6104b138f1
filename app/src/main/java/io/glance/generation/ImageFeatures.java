package io.glance.generation;

/**
 * The vision encoder's output for the images of one prompt: {@code rows} vectors of {@code width} floats,
 * one per {@code <image>} token, in prompt order. Immutable by convention (the array is not copied).
 *
 * @param data  {@code (rows, width)} row-major
 * @param rows  number of feature vectors
 * @param width the text model's hidden size
 */
public record ImageFeatures(float[] data, int rows, int width) {
    public ImageFeatures {
        if (data.length != rows * width) {
            throw new IllegalArgumentException("expected " + rows + "×" + width + " floats, got " + data.length);
        }
    }

    /** Rows {@code from..to} as a new block. */
    public ImageFeatures slice(int from, int to) {
        float[] part = new float[(to - from) * width];
        System.arraycopy(data, from * width, part, 0, part.length);
        return new ImageFeatures(part, to - from, width);
    }
}
