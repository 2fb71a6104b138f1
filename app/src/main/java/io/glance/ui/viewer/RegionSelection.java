package io.glance.ui.viewer;

import io.glance.vision.DecodedImage;

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

    /**
     * The part of {@code image} inside {@code selected} (at least 8 pixels a side), as a new image; {@code image}
     * is closed then. With no selection (or no image) {@code image} itself.
     */
    static DecodedImage crop(DecodedImage image, RegionSelection selected) {
        if (image == null || selected == null) {
            return image;
        }
        RegionSelection r = selected.clamped();
        int x = (int) Math.round(r.x() * image.width());
        int y = (int) Math.round(r.y() * image.height());
        int w = Math.max(8, Math.min(image.width() - x, (int) Math.round(r.width() * image.width())));
        int h = Math.max(8, Math.min(image.height() - y, (int) Math.round(r.height() * image.height())));
        x = Math.max(0, Math.min(x, image.width() - w));
        y = Math.max(0, Math.min(y, image.height() - h));
        DecodedImage crop = image.crop(x, y, w, h);
        image.close();
        return crop;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
