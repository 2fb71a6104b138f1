package io.glance.camera;

/** A camera or stand-in file that cannot be opened, with a message fit to show people. */
public final class CameraException extends Exception {
    public CameraException(String message) {
        super(message);
    }
}
