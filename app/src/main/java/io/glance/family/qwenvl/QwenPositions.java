package io.glance.family.qwenvl;

import io.glance.generation.ImageLayout;
import io.glance.generation.PositionIds;
import io.glance.generation.PositionScheme;

import java.util.List;

/**
 * Qwen-VL's multimodal rotary positions ({@code get_rope_index}): text tokens take the same position in the
 * time, height and width rows, one after another; a picture's image tokens starting at position {@code o} take
 * {@code o + frame}, {@code o + row} and {@code o + column} over its merged grid; text after it continues one past
 * the largest. The loop then decodes at one past the largest position so far, which is the reference's
 * {@code past_length + rope_delta}. A text-only prompt gets positions 0, 1, 2, … and so decodes at
 * {@code past_length} (rope delta 0), as Python transformers does; transformers.js 4.3.2 computes that text-only
 * delta as {@code max + 1 + length} instead of {@code max + 1 − length}, a bug this does not copy. Immutable; safe
 * on any thread.
 */
final class QwenPositions implements PositionScheme {
    private final int imageTokenId;
    private final int visionStartTokenId;

    /**
     * @param imageTokenId       {@code <|image_pad|>}
     * @param visionStartTokenId {@code <|vision_start|>}, which the reference looks for before each picture
     */
    QwenPositions(int imageTokenId, int visionStartTokenId) {
        this.imageTokenId = imageTokenId;
        this.visionStartTokenId = visionStartTokenId;
    }

    @Override
    public PositionIds positions(int[] prompt, List<ImageLayout> layouts) {
        long[][] rows = new long[3][prompt.length];
        long next = 0;
        int image = 0;
        int i = 0;
        while (i < prompt.length) {
            if (prompt[i] == imageTokenId && image < layouts.size()) {
                if (i == 0 || prompt[i - 1] != visionStartTokenId) {
                    throw new IllegalArgumentException("a picture's image tokens at " + i + " do not follow "
                            + "<|vision_start|>");
                }
                QwenImageLayout grid = (QwenImageLayout) layouts.get(image++);
                int merge = grid.merge();
                int height = grid.gridH() / merge;
                int width = grid.gridW() / merge;
                int tokens = grid.gridT() * height * width;
                if (i + tokens > prompt.length) {
                    throw new IllegalArgumentException("the prompt ends inside a picture's image tokens");
                }
                for (int k = 0; k < tokens; k++, i++) {
                    rows[0][i] = next + k / (height * width);
                    rows[1][i] = next + (k / width) % height;
                    rows[2][i] = next + k % width;
                }
                next += Math.max(grid.gridT(), Math.max(height, width));
            } else {
                rows[0][i] = next;
                rows[1][i] = next;
                rows[2][i] = next;
                next++;
                i++;
            }
        }
        if (image != layouts.size()) {
            throw new IllegalArgumentException("the prompt holds " + image + " pictures' tokens, expected "
                    + layouts.size());
        }
        return new PositionIds(rows);
    }
}
