package io.glance.ui.viewer;

/**
 * A rectangle on the shown picture, in fractions of its width and height (0..1), as the person sees it.
 * Immutable.
 */
public record RegionSelection(double x, double y, double width, double height) {

    public RegionSelection {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty region");
        }
    }

    /** The same region on a horizontally mirrored picture. */
    public RegionSelection mirrored() {
        return new RegionSelection(1 - x - width, y, width, height);
    }

    /** Clamped to the picture. */
    public RegionSelection clamped() {
        double left = clamp(x);
        double top = clamp(y);
        double right = clamp(x + width);
        double bottom = clamp(y + height);
        return new RegionSelection(left, top, Math.max(1e-3, right - left), Math.max(1e-3, bottom - top));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
