package io.glance.generation;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * One call of the vision encoder: its inputs by the names of the family's graph contract, and how many feature
 * rows it must give. Immutable by convention (the buffers are not copied).
 *
 * @param inputs      name → tensor
 * @param featureRows rows of the output {@code image_features}
 */
public record EncoderRun(Map<String, Tensor> inputs, int featureRows) {
    public EncoderRun {
        inputs = Map.copyOf(inputs);
    }

    /**
     * A tensor's values and shape: a {@link FloatBuffer} is float32 (converted where the graph wants float16), a
     * {@link LongBuffer} int64, a {@link ByteBuffer} bool (one byte per element). Direct or heap buffers, position 0.
     */
    public record Tensor(Buffer values, long[] shape) {
    }
}
