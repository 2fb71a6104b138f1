package io.glance.library;

/**
 * What a caption was made with; an image captioned with another setup is captioned again. Immutable; safe
 * on any thread.
 *
 * @param model     model id (the model folder's name)
 * @param precision precision set, as {@code PrecisionSet.toString} writes it
 * @param prompt    the question asked about each image
 */
public record CaptionSetup(String model, String precision, String prompt) {
}
