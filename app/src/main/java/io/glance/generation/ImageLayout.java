package io.glance.generation;

/**
 * How a model family laid one picture out for its prompt: how many image tokens (and encoder feature rows) the
 * picture takes. Each family adds what its prompt and positions need (tiles, a patch grid). Immutable.
 */
public interface ImageLayout {

    /** Image tokens in the prompt for this picture, equal to the feature rows the vision encoder gives for it. */
    int featureRows();
}
