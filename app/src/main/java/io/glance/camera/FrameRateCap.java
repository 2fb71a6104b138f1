package io.glance.camera;

/**
 * Decides which of a camera's frames to decode so that at most a set number per second are, spread evenly:
 * a 60 fps camera capped at 30 decodes every other frame, a 50 fps one about three in five, and a camera
 * already at or below the cap decodes every frame, its jitter included (a frame counts as due a quarter of a
 * period early). Not thread-safe; one per camera thread, the cap itself may be set from any thread.
 */
final class FrameRateCap {
    private volatile double maxFramesPerSecond;
    private long nextDue = Long.MIN_VALUE;

    /** Caps decoding at this many frames per second from the next frame on; 0 (or less) lifts the cap. */
    void set(double framesPerSecond) {
        maxFramesPerSecond = framesPerSecond;
    }

    /** Whether the frame arriving at {@code nowNanos} (a monotonic clock) should be decoded; counts it if so. */
    boolean admits(long nowNanos) {
        double cap = maxFramesPerSecond;
        if (cap <= 0) {
            nextDue = Long.MIN_VALUE;
            return true;
        }
        long period = (long) (1e9 / cap);
        if (nextDue != Long.MIN_VALUE && nowNanos < nextDue - period / 4) {
            return false;
        }
        // Due times advance by whole periods, so that a frame decoded late does not push the next ones back;
        // after a long gap (the cap was just set, the camera stalled) the schedule starts again from now.
        nextDue = nextDue == Long.MIN_VALUE || nowNanos - nextDue > period ? nowNanos + period : nextDue + period;
        return true;
    }
}
