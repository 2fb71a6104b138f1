package io.glance.ui.viewer;

import io.glance.camera.FrameSource;

import java.util.function.Function;

/**
 * One entry of the camera picker: a device or a file standing in for one. Immutable.
 *
 * @param name   what the picker shows
 * @param source the frame source at a requested resolution (files ignore it)
 */
public record CameraChoice(String name, Function<Resolution, FrameSource> source) {
    @Override
    public String toString() {
        return name;
    }
}
