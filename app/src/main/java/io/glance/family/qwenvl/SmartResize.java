package io.glance.family.qwenvl;

import io.glance.generation.UnsupportedPictureException;

import java.util.Locale;

/**
 * Qwen-VL's {@code smart_resize}, as transformers.js 4.3.2 computes it: a picture smaller than one block is first
 * scaled up so its short side is one block; each side is rounded to a multiple of the factor (halves up, as
 * JavaScript's {@code Math.round}; Python's {@code round} goes to even); then, if the pixels exceed the maximum, both
 * sides shrink by the same ratio, floored to the factor, or if they fall short of the minimum, grow, ceiled to it.
 * Stateless.
 */
final class SmartResize {
    /** The reference refuses pictures whose long side exceeds this many times their short side. */
    static final double MAX_ASPECT = 200;

    private SmartResize() {
    }

    /**
     * @return {height, width}, both multiples of {@code factor}
     * @throws UnsupportedPictureException when the picture is more than {@link #MAX_ASPECT} times as long as it is wide
     */
    static int[] size(int height, int width, int factor, long minPixels, long maxPixels) {
        double h = height;
        double w = width;
        if (h < factor || w < factor) {
            double scale = Math.max(factor / h, factor / w);
            h = roundHalfUp(h * scale);
            w = roundHalfUp(w * scale);
        }
        if (Math.max(h, w) / Math.min(h, w) > MAX_ASPECT) {
            throw new UnsupportedPictureException(String.format(Locale.ROOT,
                    "a %d×%d picture is %.0f times as long as it is wide; Qwen-VL reads pictures up to %.0f times",
                    width, height, Math.max(h, w) / Math.min(h, w), MAX_ASPECT));
        }
        long hBar = (long) roundHalfUp(h / factor) * factor;
        long wBar = (long) roundHalfUp(w / factor) * factor;
        if (hBar * wBar > maxPixels) {
            double beta = Math.sqrt(h * w / maxPixels);
            hBar = Math.max(factor, (long) Math.floor(h / beta / factor) * factor);
            wBar = Math.max(factor, (long) Math.floor(w / beta / factor) * factor);
        } else if (hBar * wBar < minPixels) {
            double beta = Math.sqrt(minPixels / (h * w));
            hBar = (long) Math.ceil(h * beta / factor) * factor;
            wBar = (long) Math.ceil(w * beta / factor) * factor;
        }
        return new int[] {(int) hBar, (int) wBar};
    }

    /** JavaScript's {@code Math.round}: halves go up. */
    private static double roundHalfUp(double value) {
        return Math.floor(value + 0.5);
    }
}
