package io.glance.camera;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where frames come from: a camera device, an MJPG video file or a folder of images. Immutable; {@link #open}
 * is called on the camera thread.
 */
public sealed interface FrameSource permits DeviceFrameSource, VideoFileFrameSource, ImageFolderFrameSource {

    /** Opens the source for reading. */
    FrameReader open() throws CameraException;

    /** A short name for people: the camera's name or the file's. */
    String displayName();

    /** Whether a failed read means the device went away (true) rather than a damaged file. */
    boolean isDevice();

    /** A stand-in for a camera: an image folder, or a video file (MJPG AVI) that plays in a loop. */
    static FrameSource forFile(Path path) {
        return Files.isDirectory(path) ? new ImageFolderFrameSource(path) : new VideoFileFrameSource(path);
    }
}
