package io.glance.generation;

import java.util.List;

/**
 * The pictures of one prompt prepared for a family's vision encoder: their layouts, and the encoder runs that
 * turn them into feature rows, in prompt order. Owns direct buffers: close it once encoded. Confined to the
 * inference thread.
 */
public interface EncoderInput extends AutoCloseable {

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

    /**
     * Frees the pixels now rather than when the collector next runs (direct memory does not make it run, and a
     * 17-tile picture's 53 MB stayed resident into the next question). Closing again does nothing; {@link #runs}
     * fails afterwards.
     */
    @Override
    void close();
}
