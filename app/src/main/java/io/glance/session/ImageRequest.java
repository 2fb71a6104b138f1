package io.glance.session;

import io.glance.vision.DecodedImage;

import java.util.function.Supplier;

/**
 * The picture a question is about, fetched lazily on the inference thread (a camera snapshot, a crop, a
 * decoded file) so the FX thread never copies or decodes pixels. Immutable.
 *
 * @param subjectId identifies the picture: a question with the same id as the conversation's picture is a
 *                  follow-up that reuses its cached prefix; a new id starts a new conversation
 * @param label     a short description for people ("camera", a file name, "region of …")
 * @param origin    a camera frame or a picture, for how it is cut into tiles
 * @param loader    returns a new image the caller owns, or null when none is available; runs on the
 *                  inference thread and may throw {@link io.glance.vision.ImageLoadException} wrapped in a
 *                  runtime exception
 */
public record ImageRequest(String subjectId, String label, ImageOrigin origin, Supplier<DecodedImage> loader) {
}
