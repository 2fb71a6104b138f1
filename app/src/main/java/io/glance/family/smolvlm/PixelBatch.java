package io.glance.family.smolvlm;

import io.glance.generation.DirectFloats;
import io.glance.generation.EncoderInput;
import io.glance.generation.EncoderRun;
import io.glance.generation.ImageLayout;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encoder input for the images of one prompt, in prompt order: {@code (count, 3, tile, tile)} float32 values, CHW,
 * normalized; every pixel is real (all tiles are full), so the attention mask is all true. The encoder runs tile by
 * tile, or all tiles in one run. Owns a direct buffer: close it once encoded. Not thread-safe.
 */
public final class PixelBatch implements EncoderInput {
    private final DirectFloats values;
    private final int count;
    private final int tile;
    private final List<TileLayout> tileLayouts;

    /**
     * @param values      {@code count×3×tile×tile} floats; owned from now on
     * @param count       encoder inputs over all images
     * @param tile        side of one encoder input
     * @param tileLayouts the tile layout of each image, in order
     */
    PixelBatch(DirectFloats values, int count, int tile, List<TileLayout> tileLayouts) {
        this.values = values;
        this.count = count;
        this.tile = tile;
        this.tileLayouts = List.copyOf(tileLayouts);
    }

    /**
     * The values, position 0.
     *
     * @throws IllegalStateException once closed
     */
    public FloatBuffer pixels() {
        return values.floats();
    }

    /** Encoder inputs over all images. */
    public int count() {
        return count;
    }

    /** Side of one encoder input. */
    public int tile() {
        return tile;
    }

    /** The tile layout of each image, in order. */
    public List<TileLayout> tileLayouts() {
        return tileLayouts;
    }

    @Override
    public List<ImageLayout> layouts() {
        return List.copyOf(tileLayouts);
    }

    /** Runs of {@code pixel_values} (1, n, 3, tile, tile) and an all-true {@code pixel_attention_mask}. */
    @Override
    public List<EncoderRun> runs(boolean together) {
        FloatBuffer pixels = pixels();
        int perRun = together ? count : 1;
        int rowsPerTile = tileLayouts.isEmpty() ? 0 : tileLayouts.get(0).featuresPerInput();
        int tileValues = 3 * tile * tile;
        ByteBuffer mask = ByteBuffer.allocate(perRun * tile * tile);
        while (mask.hasRemaining()) {
            mask.put((byte) 1);
        }
        mask.flip();
        List<EncoderRun> runs = new ArrayList<>();
        for (int first = 0; first < count; first += perRun) {
            FloatBuffer values = pixels.duplicate();
            values.position(first * tileValues).limit((first + perRun) * tileValues);
            runs.add(new EncoderRun(Map.of(
                    "pixel_values", new EncoderRun.Tensor(values.slice(), new long[] {1, perRun, 3, tile, tile}),
                    "pixel_attention_mask", new EncoderRun.Tensor(mask.duplicate(), new long[] {1, perRun, tile, tile})),
                    perRun * rowsPerTile));
        }
        return runs;
    }

    @Override
    public void close() {
        values.close();
    }
}
