package io.glance.model;

/**
 * How images are turned into encoder input, as {@code preprocessor_config.json} and
 * {@code processor_config.json} say. Immutable; safe on any thread.
 *
 * @param splitImage      whether the image is cut into tiles plus a global image ({@code do_image_splitting})
 * @param resizeLongestEdge the longest edge the image is first resized to before tiling ({@code size.longest_edge})
 * @param tileSize        the side of one square encoder input ({@code max_image_size.longest_edge})
 * @param rescaleFactor   pixel multiplier, usually 1/255
 * @param mean            per-channel mean, RGB order
 * @param std             per-channel standard deviation, RGB order
 * @param imageSeqLen     feature rows (and {@code <image>} tokens) per encoder input
 */
public record ImageProcessing(boolean splitImage, int resizeLongestEdge, int tileSize, float rescaleFactor,
                              float[] mean, float[] std, int imageSeqLen) {

    /** A copy with splitting and the first-resize edge overridden (the user's speed levers). */
    public ImageProcessing withOverrides(Boolean split, Integer longestEdge) {
        return new ImageProcessing(split == null ? splitImage : split,
                longestEdge == null ? resizeLongestEdge : longestEdge,
                tileSize, rescaleFactor, mean, std, imageSeqLen);
    }
}
