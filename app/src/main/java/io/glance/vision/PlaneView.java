package io.glance.vision;

/**
 * Read access to an image's channel planes, one value at a time, wherever the values come from: float planes, or
 * bytes normalized as they are read ({@link PixelNormalization#view}), which spares a picture's float copy.
 * Implementations are immutable views; safe on any thread.
 */
public interface PlaneView {
    /** The value of {@code channel} at pixel {@code index}, which is {@code row × width + column}. */
    float value(int channel, int index);
}
