package io.glance.family.smolvlm;

import io.glance.generation.ImageLayout;

/**
 * How one image was cut for the encoder: {@code rows × cols} tiles in row-major order followed by one
 * global image, or only the global image when both are 0. Immutable.
 *
 * @param rows             tile rows, 0 when the image was not split
 * @param cols             tile columns, 0 when the image was not split
 * @param featuresPerInput {@code <image>} tokens per tile ({@code image_seq_len})
 */
public record TileLayout(int rows, int cols, int featuresPerInput) implements ImageLayout {

    @Override
    public int featureRows() {
        return encoderInputs() * featuresPerInput;
    }


    /** Encoder inputs this image contributes: the tiles plus the global image. */
    public int encoderInputs() {
        return rows * cols + 1;
    }

    public boolean isSplit() {
        return rows > 0 && cols > 0;
    }
}
