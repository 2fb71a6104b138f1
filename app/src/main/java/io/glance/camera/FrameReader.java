package io.glance.camera;

import org.opencv.core.Mat;

/**
 * An open frame source. Used by one camera thread only; close it on that thread.
 */
public interface FrameReader extends AutoCloseable {
    /**
     * Reads the next frame into {@code frame} (reusing its memory when the size matches), pacing itself to
     * the source's frame rate where the source is a file.
     *
     * @return false when no frame could be read (a camera that went away)
     */
    boolean read(Mat frame);

    /**
     * Takes the next frame off the source without decoding it, at the same pace as {@link #read}, so that a
     * camera's queue stays fresh while nobody looks at its pictures.
     *
     * @return false when no frame could be taken (a camera that went away)
     */
    boolean skip();

    @Override
    void close();
}
