package io.glance.camera;

import org.opencv.core.Mat;

/**
 * An open frame source. Used by one camera thread only; close it on that thread.
 */
public interface FrameReader extends AutoCloseable {
    /**
     * Waits for the next frame and takes it off the source without decoding it, pacing itself to the source's
     * frame rate where the source is a file. A frame nobody looks at is simply not {@link #retrieve retrieved},
     * so a camera's queue stays fresh at next to no cost.
     *
     * @return false when no frame could be taken (a camera that went away)
     */
    boolean grab();

    /**
     * Decodes the frame taken by the last {@link #grab} into {@code frame} (reusing its memory when the size
     * matches).
     *
     * @return false when it could not be decoded
     */
    boolean retrieve(Mat frame);

    @Override
    void close();
}
