package io.glance.library;

import io.glance.generation.Cancellation;
import io.glance.generation.GenerationException;
import io.glance.vision.DecodedImage;

/**
 * Writes one caption per image. Called on the caption run's thread only.
 */
public interface Captioner {
    /** The model, precision and prompt every caption of this captioner is made with. */
    CaptionSetup setup();

    /**
     * The caption of one image, as a fresh single-turn question.
     *
     * @param cancel stops the caption early; the run then discards whatever was returned
     * @throws GenerationException when inference fails on this image
     */
    String caption(DecodedImage image, Cancellation cancel) throws GenerationException;
}
