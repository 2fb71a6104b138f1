package io.glance.generation;

/**
 * A person's choices about how much of a picture the model sees; {@code null} leaves the model's own setting.
 * Each family uses the levers it has. Immutable.
 *
 * @param split       SmolVLM: cut the picture into tiles plus a global view
 * @param longestEdge SmolVLM: the longest edge of the first resize
 * @param maxImageTokens Qwen-VL: the most image tokens a picture takes, i.e. its most pixels over the pixels per
 *                    token (never above the model's own limit)
 */
public record ImageDetail(Boolean split, Integer longestEdge, Integer maxImageTokens) {
    /** The model's own settings. */
    public static final ImageDetail MODEL_DEFAULT = new ImageDetail(null, null, null);
}
