package io.glance.camera;

import io.glance.vision.OpenCvLibrary;
import org.opencv.core.Mat;
import org.opencv.videoio.VideoCapture;
import org.opencv.videoio.Videoio;

/**
 * A real camera opened through OpenCV at a requested resolution (the camera may pick the nearest it has).
 * Immutable.
 *
 * @param device the camera
 * @param width  requested frame width
 * @param height requested frame height
 */
public record DeviceFrameSource(CameraDevice device, int width, int height) implements FrameSource {

    @Override
    public FrameReader open() throws CameraException {
        OpenCvLibrary.ensureLoaded();
        VideoCapture capture = new VideoCapture(device.index(), preferredBackend());
        if (!capture.isOpened()) {
            capture.release();
            throw new CameraException("cannot open camera \"" + device.name() + "\"");
        }
        capture.set(Videoio.CAP_PROP_FRAME_WIDTH, width);
        capture.set(Videoio.CAP_PROP_FRAME_HEIGHT, height);
        return new FrameReader() {
            @Override
            public boolean grab() {
                return capture.grab();
            }

            @Override
            public boolean retrieve(Mat frame) {
                return capture.retrieve(frame) && !frame.empty();
            }

            @Override
            public void close() {
                capture.release();
            }
        };
    }

    @Override
    public String displayName() {
        return device.name();
    }

    @Override
    public boolean isDevice() {
        return true;
    }

    /** DirectShow on Windows (the default MSMF backend can take seconds to open), else OpenCV's choice. */
    private static int preferredBackend() {
        return System.getProperty("os.name", "").startsWith("Windows") ? Videoio.CAP_DSHOW : Videoio.CAP_ANY;
    }
}
