package io.glance.vision;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The size transformers.js resizes a picture to for a {@code shortest_edge}/{@code longest_edge} pair
 * ({@code get_resize_output_image_size}): scaled so that the shortest edge reaches {@code shortest_edge} (no scaling
 * when it is not set), then down so that neither edge exceeds {@code longest_edge}, each side rounded to two
 * decimals as {@code toFixed(2)} does and floored. Immutable; safe on any thread.
 *
 * @param shortestEdge the target of the shortest edge, 0 when not set
 * @param longestEdge  the limit of the longest edge, 0 when not set
 */
public record EdgeResize(double shortestEdge, double longestEdge) {

    /** {@code {width, height}} a {@code width}×{@code height} picture is resized to. */
    public int[] sizeFor(int width, int height) {
        double shortFactor = shortestEdge > 0 ? Math.max(shortestEdge / width, shortestEdge / height) : 1;
        double newWidth = width * shortFactor;
        double newHeight = height * shortFactor;
        double longFactor = longestEdge > 0 ? Math.min(longestEdge / newWidth, longestEdge / newHeight) : 1;
        return new int[] {twoDecimalsDown(newWidth * longFactor), twoDecimalsDown(newHeight * longFactor)};
    }

    /** {@code Math.floor(Number(x.toFixed(2)))}: JavaScript's toFixed rounds the exact value half up. */
    private static int twoDecimalsDown(double value) {
        return (int) Math.floor(new BigDecimal(value).setScale(2, RoundingMode.HALF_UP).doubleValue());
    }
}
