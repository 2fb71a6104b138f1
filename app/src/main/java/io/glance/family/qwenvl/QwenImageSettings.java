package io.glance.family.qwenvl;

import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;

import java.nio.file.Path;

/**
 * How Qwen-VL turns pictures into patches, as {@code preprocessor_config.json} says (the Qwen2-VL image
 * processor's keys). Immutable; safe on any thread.
 *
 * @param patchSize         side of one patch in pixels
 * @param mergeSize         patches merged per side into one image token
 * @param temporalPatchSize frames per patch (a picture is repeated this many times)
 * @param minPixels         the fewest pixels a resized picture has
 * @param maxPixels         the most pixels a resized picture has
 * @param rescaleFactor     pixel multiplier, usually 1/255
 * @param mean              per-channel mean, RGB
 * @param std               per-channel standard deviation, RGB
 */
public record QwenImageSettings(int patchSize, int mergeSize, int temporalPatchSize, long minPixels, long maxPixels,
                                double rescaleFactor, double[] mean, double[] std) {

    /** The reference's {@code smart_resize} limits when a config names none: 56 × 56 and 14 × 14 × 4 × 1280 pixels. */
    static final long DEFAULT_MIN_PIXELS = 56 * 56;
    static final long DEFAULT_MAX_PIXELS = 14 * 14 * 4 * 1280;

    /**
     * Reads the settings as the reference does: pixel limits from {@code min_pixels}/{@code max_pixels}, else
     * {@code size.shortest_edge}/{@code size.longest_edge}, else the reference's defaults.
     *
     * @throws InvalidModelException naming the missing or wrong key
     */
    public static QwenImageSettings read(ConfigJson preprocessor, Path root) throws InvalidModelException {
        int patch = preprocessor.integer("patch_size", 14);
        int merge = preprocessor.integer("merge_size", 2);
        int temporal = preprocessor.integer("temporal_patch_size", 2);
        ConfigJson size = preprocessor.optionalObject("size").orElse(null);
        long min = pixelLimit(preprocessor, "min_pixels", size, "shortest_edge", DEFAULT_MIN_PIXELS);
        long max = pixelLimit(preprocessor, "max_pixels", size, "longest_edge", DEFAULT_MAX_PIXELS);
        if (min <= 0 || max < min) {
            throw new InvalidModelException("preprocessor_config.json of " + root + " has pixel limits " + min + ".."
                    + max + "; expected 0 < min_pixels ≤ max_pixels");
        }
        double rescale = preprocessor.bool("do_rescale", true) ? preprocessor.number("rescale_factor", 1.0 / 255.0) : 1;
        boolean normalize = preprocessor.bool("do_normalize", true);
        double[] mean = normalize ? preprocessor.threeNumbers("image_mean") : new double[3];
        double[] std = normalize ? preprocessor.threeNumbers("image_std") : new double[] {1, 1, 1};
        return new QwenImageSettings(patch, merge, temporal, min, max, rescale, mean, std);
    }

    private static long pixelLimit(ConfigJson preprocessor, String key, ConfigJson size, String sizeKey,
                                   long fallback) throws InvalidModelException {
        if (preprocessor.has(key)) {
            return (long) preprocessor.number(key, 0);
        }
        if (size != null && size.has(sizeKey)) {
            return (long) size.number(sizeKey, 0);
        }
        return fallback;
    }

    /** Side of the blocks a resized picture is made of: patch × merge. */
    public int factor() {
        return patchSize * mergeSize;
    }

    /** Pixels one image token covers: factor². */
    public int pixelsPerToken() {
        return factor() * factor();
    }

    /**
     * The same settings with at most {@code pixels} pixels per picture: never more than the model's own limit, never
     * fewer than its minimum.
     */
    public QwenImageSettings withMaxPixels(long pixels) {
        long limited = Math.max(minPixels, Math.min(maxPixels, pixels));
        return new QwenImageSettings(patchSize, mergeSize, temporalPatchSize, minPixels, limited, rescaleFactor, mean, std);
    }
}
