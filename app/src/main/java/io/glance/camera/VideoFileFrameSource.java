package io.glance.camera;

import io.glance.vision.OpenCvLibrary;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A video file standing in for a camera, played in a loop at its own frame rate. OpenCV's built-in MJPEG
 * reader handles MJPG AVI files on every platform (the bundled OpenCV has no FFmpeg). Immutable.
 *
 * @param file the video file
 */
public record VideoFileFrameSource(Path file) implements FrameSource {

    @Override
    public FrameReader open() throws CameraException {
        OpenCvLibrary.ensureLoaded();
        if (!Files.isRegularFile(file)) {
            throw new CameraException(file + ": no such file");
        }
        VideoCapture capture = new VideoCapture(file.toString(), Videoio.CAP_OPENCV_MJPEG);
        if (!capture.isOpened()) {
            capture.release();
            capture = new VideoCapture(file.toString(), Videoio.CAP_ANY);
        }
        if (!capture.isOpened()) {
            capture.release();
            throw new CameraException(file + ": cannot play this video (use an MJPG AVI file)");
        }
        VideoCapture opened = capture;
        FramePacer pacer = new FramePacer(opened.get(Videoio.CAP_PROP_FPS));
        return new FrameReader() {
            @Override
            public boolean grab() {
                pacer.awaitNextFrame();
                if (opened.grab()) {
                    return true;
                }
                opened.set(Videoio.CAP_PROP_POS_FRAMES, 0);
                return opened.grab();
            }

            @Override
            public boolean retrieve(Mat frame) {
                return opened.retrieve(frame) && !frame.empty();
            }

            @Override
            public void close() {
                opened.release();
            }
        };
    }

    @Override
    public String displayName() {
        return file.getFileName().toString();
    }

    @Override
    public boolean isDevice() {
        return false;
    }
}
