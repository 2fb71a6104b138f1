package io.glance.camera;

/**
 * Sleeps so that successive frames of a file come out at the file's frame rate, as a camera would deliver
 * them. Not thread-safe; one per reader.
 */
final class FramePacer {
    private final long periodNanos;
    private long nextDue = System.nanoTime();

    FramePacer(double framesPerSecond) {
        double fps = framesPerSecond > 0 && framesPerSecond <= 240 ? framesPerSecond : 30;
        this.periodNanos = (long) (1e9 / fps);
    }

    /** Waits until the next frame is due. */
    void awaitNextFrame() {
        long now = System.nanoTime();
        nextDue = Math.max(nextDue + periodNanos, now - periodNanos);
        long wait = nextDue - now;
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
