package io.glance.camera;

/** What a {@link FrameGrabber} is doing. */
public enum CameraState {
    /** Opening the source. */
    OPENING,
    /** Delivering frames. */
    RUNNING,
    /** The source could not be opened. */
    UNAVAILABLE,
    /** The device stopped delivering frames mid-stream (unplugged, taken by another app). */
    LOST,
    /** Closed on request. */
    STOPPED
}
