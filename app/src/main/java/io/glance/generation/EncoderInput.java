package io.glance.generation;

import java.util.List;

/**
 * The pictures of one prompt prepared for a family's vision encoder: their layouts, and the encoder runs that
 * turn them into feature rows, in prompt order. Owns direct buffers; confined to the inference thread.
 */
public interface EncoderInput {

    /** The layout of each picture, in prompt order. */
    List<ImageLayout> layouts();

    /**
     * The encoder calls, in order; their outputs concatenated are the feature rows of every picture, in order.
     *
     * @param together one call for everything where the family can batch (a graph that quantizes activations
     *                 dynamically gives other numbers when it is split); otherwise the smallest calls the family
     *                 allows, which hold the least memory at once
     */
    List<EncoderRun> runs(boolean together);

    /** Feature rows of all pictures. */
    default int featureRows() {
        return layouts().stream().mapToInt(ImageLayout::featureRows).sum();
    }
}
