package io.glance.vision;

/**
 * How one image was cut for the encoder: {@code rows × cols} tiles in row-major order followed by one
 * global image, or only the global image when both are 0. Immutable.
 *
 * @param rows tile rows, 0 when the image was not split
 * @param cols tile columns, 0 when the image was not split
 */
public record TileLayout(int rows, int cols) {

    /** Encoder inputs this image contributes: the tiles plus the global image. */
    public int encoderInputs() {
        return rows * cols + 1;
    }

    public boolean isSplit() {
        return rows > 0 && cols > 0;
    }
}
