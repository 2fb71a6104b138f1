package io.glance.family.qwenvl;

import io.glance.generation.DirectFloats;
import io.glance.generation.EncoderInput;
import io.glance.generation.EncoderRun;
import io.glance.generation.ImageLayout;

import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pictures of one prompt as Qwen-VL's vision encoder reads them: per picture its patches, rows of
 * {@code C·T·P·P} floats in merge-block order, and its grid. The encoder runs once per picture, as the reference
 * does (it encodes one picture per prompt), so its features never depend on another picture. Owns direct buffers:
 * close it once encoded. Not thread-safe.
 */
final class QwenPixels implements EncoderInput {
    /** The grid input's name in the family's contract ({@code image_grid_thw} in later exports). */
    static final String GRID = "grid_thw";

    private final List<DirectFloats> patches;
    private final List<QwenImageLayout> grids;
    private final int rowWidth;

    /**
     * @param patches  per picture its {@code (patches, C·T·P·P)} floats, row-major; owned from now on
     * @param grids    one layout per picture, in order
     * @param rowWidth floats per patch row ({@code C·T·P·P})
     */
    QwenPixels(List<DirectFloats> patches, List<QwenImageLayout> grids, int rowWidth) {
        this.patches = List.copyOf(patches);
        this.grids = List.copyOf(grids);
        this.rowWidth = rowWidth;
    }

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
                    "pixel_values", new EncoderRun.Tensor(patches.get(i).floats(), new long[] {grid.patches(), rowWidth}),
                    GRID, new EncoderRun.Tensor(thw, new long[] {1, 3})), grid.featureRows()));
        }
        return runs;
    }

    @Override
    public void close() {
        patches.forEach(DirectFloats::close);
    }
}
