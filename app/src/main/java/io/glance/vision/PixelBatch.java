package io.glance.vision;

import java.nio.FloatBuffer;
import java.util.List;

/**
 * Encoder input for the images of one prompt, in prompt order: {@code pixels} holds
 * {@code (count, 3, tile, tile)} float32 values, CHW, normalized; every pixel is real (all tiles are full),
 * so the attention mask is all true. Not thread-safe; owns a direct buffer.
 *
 * @param pixels  direct buffer, position 0, limit {@code count*3*tile*tile}
 * @param count   encoder inputs over all images
 * @param tile    side of one encoder input
 * @param layouts the tile layout of each image, in order
 */
public record PixelBatch(FloatBuffer pixels, int count, int tile, List<TileLayout> layouts) {
}
