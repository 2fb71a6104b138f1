package io.glance.ui.viewer;

import io.glance.session.ImageOrigin;
import io.glance.vision.DecodedImage;

/**
 * A picture that does not change: a frozen camera frame, or an opened, dropped or pasted image. Owns its
 * pixels until {@link ViewerViewModel} frees them. Immutable reference; pixels are only read.
 *
 * @param id    unique, so questions about it can be recognised as follow-ups
 * @param label  what it is, for people
 * @param origin a frozen camera frame, or a picture
 * @param image  the pixels (BGR)
 */
public record Still(String id, String label, ImageOrigin origin, DecodedImage image) {
}
