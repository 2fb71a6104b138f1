package io.glance.family.qwenvl;

import io.glance.generation.EncoderInput;
import io.glance.generation.EncoderRun;
import io.glance.generation.ImageLayout;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pictures of one prompt as Qwen-VL's vision encoder reads them: per picture its patches, rows of
 * {@code C·T·P·P} floats in merge-block order, and its grid. The encoder runs once per picture, as the reference
 * does (it encodes one picture per prompt), so its features never depend on another picture. Not thread-safe; owns
 * direct buffers.
 *
 * @param patches one buffer per picture, {@code (patches, C·T·P·P)} row-major, position 0
 * @param grids   one layout per picture, in order
 * @param rowWidth floats per patch row ({@code C·T·P·P})
 */
record QwenPixels(List<FloatBuffer> patches, List<QwenImageLayout> grids, int rowWidth) implements EncoderInput {
    /** The grid input's name in the family's contract ({@code image_grid_thw} in later exports). */
    static final String GRID = "grid_thw";

    @Override
    public List<ImageLayout> layouts() {
        return List.copyOf(grids);
    }

    @Override
    public List<EncoderRun> runs(boolean together) {
        List<EncoderRun> runs = new ArrayList<>();
        for (int i = 0; i < grids.size(); i++) {
            QwenImageLayout grid = grids.get(i);
            LongBuffer thw = LongBuffer.wrap(new long[] {grid.gridT(), grid.gridH(), grid.gridW()});
            runs.add(new EncoderRun(Map.of(
                    "pixel_values", new EncoderRun.Tensor(patches.get(i).duplicate(), new long[] {grid.patches(), rowWidth}),
                    GRID, new EncoderRun.Tensor(thw, new long[] {1, 3})), grid.featureRows()));
        }
        return runs;
    }
}
