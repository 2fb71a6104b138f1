package io.glance.camera;

/**
 * A camera the operating system offers. Immutable.
 *
 * @param index the OpenCV capture index
 * @param name  the name the driver reports, for people
 */
public record CameraDevice(int index, String name) {
    @Override
    public String toString() {
        return name;
    }
}
