package io.glance.camera;

/**
 * How the camera thread makes the display copy of each frame: scaled down to fit {@code maxWidth} ×
 * {@code maxHeight} pixels (keeping the frame's shape, never scaled up), mirrored or not. Immutable.
 *
 * @param maxWidth  widest the copy may be, in pixels (at least 1)
 * @param maxHeight tallest the copy may be, in pixels (at least 1)
 * @param mirrored  flipped left to right, as a selfie view
 */
public record PreviewFormat(int maxWidth, int maxHeight, boolean mirrored) {
    /** The frame at its own size, unmirrored. */
    public static final PreviewFormat FULL_SIZE = new PreviewFormat(Integer.MAX_VALUE, Integer.MAX_VALUE, false);

    public PreviewFormat {
        if (maxWidth < 1 || maxHeight < 1) {
            throw new IllegalArgumentException("empty preview box " + maxWidth + "×" + maxHeight);
        }
    }

    /** The same box, mirrored or not. */
    public PreviewFormat withMirrored(boolean flipped) {
        return new PreviewFormat(maxWidth, maxHeight, flipped);
    }
}
