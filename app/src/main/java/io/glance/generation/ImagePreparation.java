package io.glance.generation;

import io.glance.vision.DecodedImage;

import java.util.List;

/**
 * A family's image preprocessing with one conversation's detail settings: pictures become encoder input.
 * Stateless apart from its settings; safe on any thread.
 */
public interface ImagePreparation {

    /** Preprocesses the pictures of one prompt, in order; does not close them. */
    EncoderInput prepare(List<DecodedImage> images);
}
