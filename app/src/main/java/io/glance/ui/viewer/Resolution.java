package io.glance.ui.viewer;

import java.util.List;

/**
 * A camera resolution to request. Immutable.
 *
 * @param width  pixels
 * @param height pixels
 */
public record Resolution(int width, int height) {
    /** The choices offered, smallest first. */
    public static final List<Resolution> CHOICES = List.of(
            new Resolution(640, 480), new Resolution(1280, 720), new Resolution(1920, 1080));

    public static final Resolution DEFAULT = CHOICES.get(1);

    @Override
    public String toString() {
        return width + " × " + height;
    }
}
