package io.glance.vision;

/**
 * An image that cannot be used: unreadable, not an image, corrupt, or too large. The message is meant for
 * the user as it is and names the file when there is one.
 */
public class ImageLoadException extends Exception {
    private static final long serialVersionUID = 1L;

    public ImageLoadException(String message) {
        super(message);
    }
}
