package io.glance.camera;

import io.glance.os.ThreadNiceness;
import io.glance.vision.DecodedImage;
import org.opencv.core.Mat;

import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Grabs frames from one {@link FrameSource} on its own camera thread. The newest frame wins: each read goes
 * into a spare Mat that is then swapped with the published one, so no frame is copied and a slow consumer
 * never backs the camera up. With each frame the camera thread also makes its display copy, scaled to the
 * {@link PreviewFormat} last set (BGRA), published the same way. Consumers read the display copy under a short
 * lock with {@link #readPreviewIfNewer}, or take an owned copy of the full frame with {@link #snapshot}. Frames
 * nobody needs (paused, or above the {@linkplain #setMaxFramesPerSecond cap}) are taken off the source undecoded.
 * Thread-safe; state changes are reported on the camera thread.
 */
public final class FrameGrabber implements AutoCloseable {
    /** Consecutive failed reads after which a device counts as gone. */
    static final int FAILED_READS_BEFORE_LOST = 15;

    private final FrameSource source;
    private final BiConsumer<CameraState, String> onStateChange;
    private final Object frameLock = new Object();
    private Mat published = new Mat();
    private Mat publishedPreview = new Mat();
    private long publishedSequence;
    private volatile PreviewFormat previewFormat = PreviewFormat.FULL_SIZE;
    private volatile boolean paused;
    private final FrameRateCap rateCap = new FrameRateCap();
    private volatile boolean running;
    private Thread thread;

    /**
     * @param onStateChange receives each state with a message for people (null when there is nothing to say),
     *                      on the camera thread
     */
    public FrameGrabber(FrameSource source, BiConsumer<CameraState, String> onStateChange) {
        this.source = source;
        this.onStateChange = onStateChange;
    }

    /** Starts the camera thread; call once. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(this::grabLoop, "glance-camera");
        thread.setDaemon(true);
        thread.start();
    }

    public FrameSource source() {
        return source;
    }

    /** Makes the display copies of the frames read from now on in {@code format} (any thread). */
    public void setPreviewFormat(PreviewFormat format) {
        previewFormat = format;
    }

    /**
     * Pauses decoding (any thread): while paused the camera thread takes frames off the source without decoding
     * or publishing them, so the newest frame stays the last one decoded and the camera costs next to no CPU
     * (a frozen frame or an opened picture is shown instead). Frames are decoded again from the next one on.
     */
    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    /**
     * Decodes at most this many frames per second from now on (any thread), skipping the others undecoded and
     * evenly, so that the preview costs less while the model needs the processor; 0 decodes every frame.
     */
    public void setMaxFramesPerSecond(double framesPerSecond) {
        rateCap.set(framesPerSecond);
    }

    /**
     * Hands the display copy of the newest frame (BGRA in the {@link PreviewFormat} set when it was read,
     * owned by this grabber, valid only during the call) to {@code reader} if it is newer than
     * {@code seenSequence}.
     *
     * @return the sequence number of the frame now seen (unchanged when there was nothing new)
     */
    public long readPreviewIfNewer(long seenSequence, Consumer<PreviewFrame> reader) {
        synchronized (frameLock) {
            if (publishedSequence == seenSequence || publishedPreview.empty()) {
                return seenSequence;
            }
            reader.accept(new PreviewFrame(publishedPreview));
            return publishedSequence;
        }
    }

    /** An owned copy of the newest frame, or null when no frame has arrived yet. */
    public DecodedImage snapshot() {
        synchronized (frameLock) {
            return published.empty() ? null : new DecodedImage(published.clone());
        }
    }

    private void grabLoop() {
        ThreadNiceness.lowerCurrentThread();   // so are the decoder threads OpenCV starts from here
        onStateChange.accept(CameraState.OPENING, null);
        FrameReader reader;
        try {
            reader = source.open();
        } catch (CameraException e) {
            onStateChange.accept(CameraState.UNAVAILABLE, e.getMessage());
            return;
        } catch (RuntimeException e) {
            onStateChange.accept(CameraState.UNAVAILABLE, source.displayName() + ": " + e.getMessage());
            return;
        }
        Mat spare = new Mat();
        Mat sparePreview = new Mat();
        PreviewMaker previews = new PreviewMaker();
        int failures = 0;
        boolean announced = false;
        try {
            while (running) {
                boolean taken = reader.grab();
                boolean decoding = taken && (!announced || !paused && rateCap.admits(System.nanoTime()));
                if (!taken || decoding && !reader.retrieve(spare)) {
                    if (++failures >= FAILED_READS_BEFORE_LOST) {
                        onStateChange.accept(CameraState.LOST, source.displayName() + " stopped sending pictures");
                        return;
                    }
                    sleepBriefly();
                    continue;
                }
                failures = 0;
                if (!decoding) {
                    continue;
                }
                previews.make(spare, previewFormat, sparePreview);
                synchronized (frameLock) {
                    Mat previous = published;
                    published = spare;
                    spare = previous;
                    Mat previousPreview = publishedPreview;
                    publishedPreview = sparePreview;
                    sparePreview = previousPreview;
                    publishedSequence++;
                }
                if (!announced) {
                    onStateChange.accept(CameraState.RUNNING, null);
                    announced = true;
                }
            }
            onStateChange.accept(CameraState.STOPPED, null);
        } finally {
            reader.close();
            spare.release();
            sparePreview.release();
            previews.close();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the camera thread, waits for it, and frees the frames. */
    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            running = false;
            started = thread;
        }
        if (started != null) {
            try {
                started.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (frameLock) {
            published.release();
            publishedPreview.release();
            publishedSequence = -1;
        }
    }
}
