package io.glance.family.qwenvl;

import io.glance.generation.ImageLayout;

/**
 * One picture as Qwen-VL sees it: a grid of {@code gridT × gridH × gridW} patches, merged {@code merge × merge} into
 * one image token each. Immutable.
 *
 * @param gridT  frames (1 for a picture: its two temporal copies make one frame)
 * @param gridH  patch rows
 * @param gridW  patch columns
 * @param merge  the spatial merge size
 */
public record QwenImageLayout(int gridT, int gridH, int gridW, int merge) implements ImageLayout {

    /** Patches the vision encoder reads: rows of {@code pixel_values}. */
    public int patches() {
        return gridT * gridH * gridW;
    }

    @Override
    public int featureRows() {
        return patches() / (merge * merge);
    }
}
