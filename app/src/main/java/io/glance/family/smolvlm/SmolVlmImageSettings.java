package io.glance.family.smolvlm;

import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;

/**
 * How SmolVLM (Idefics3) turns images into encoder input, as {@code preprocessor_config.json} and
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
public record SmolVlmImageSettings(boolean splitImage, int resizeLongestEdge, int tileSize, double rescaleFactor,
                                   double[] mean, double[] std, int imageSeqLen) {

    /**
     * Reads the settings and checks that the config files agree on the features per encoder input.
     *
     * @throws InvalidModelException naming the missing file or key, or the disagreement
     */
    public static SmolVlmImageSettings read(ModelFolder folder) throws InvalidModelException {
        ConfigJson config = folder.config();
        ConfigJson vision = config.object("vision_config");
        ConfigJson preprocessor = folder.preprocessorConfig();
        ConfigJson processor = folder.configFile("processor_config.json");
        int imageSeqLen = processor.integer("image_seq_len");
        int tileSize = preprocessor.object("max_image_size").integer("longest_edge");
        int longestEdge = preprocessor.object("size").integer("longest_edge");
        int visionImageSize = vision.integer("image_size");
        int patch = vision.integer("patch_size");
        int scale = config.integer("scale_factor");
        int patchesPerSide = visionImageSize / patch;
        if (visionImageSize != tileSize || patchesPerSide * patchesPerSide != imageSeqLen * scale * scale) {
            throw new InvalidModelException("config files of " + folder.root() + " disagree: vision_config.image_size "
                    + visionImageSize + ", patch_size " + patch + ", scale_factor " + scale + " give "
                    + (patchesPerSide * patchesPerSide / (scale * scale)) + " features per image, but "
                    + "processor_config.json image_seq_len is " + imageSeqLen
                    + " and preprocessor max_image_size is " + tileSize);
        }
        double rescale = preprocessor.number("rescale_factor", 1.0 / 255.0);
        boolean normalize = preprocessor.bool("do_normalize", true);
        double[] mean = normalize ? preprocessor.threeNumbers("image_mean") : new double[] {0, 0, 0};
        double[] std = normalize ? preprocessor.threeNumbers("image_std") : new double[] {1, 1, 1};
        boolean split = preprocessor.bool("do_image_splitting", false);
        return new SmolVlmImageSettings(split, longestEdge, tileSize, rescale, mean, std, imageSeqLen);
    }

    /** A copy with splitting and the first-resize edge overridden (the user's speed levers). */
    public SmolVlmImageSettings withOverrides(Boolean split, Integer longestEdge) {
        return new SmolVlmImageSettings(split == null ? splitImage : split,
                longestEdge == null ? resizeLongestEdge : longestEdge,
                tileSize, rescaleFactor, mean, std, imageSeqLen);
    }
}
