package io.glance.camera;

import com.github.eduramiba.webcamcapture.drivers.NativeDriver;
import com.github.sarxos.webcam.Webcam;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lists the cameras with the names their drivers report, through the Webcam Capture API with the maintained
 * native driver (its default driver fails on Linux without libv4l and on Apple Silicon). The n-th camera
 * listed is OpenCV capture index n. Blocks for up to a few seconds: call it off the UI thread. Thread-safe.
 */
public final class CameraDirectory {
    private static final long DISCOVERY_TIMEOUT_MS = 4000;

    /** The cameras found; empty when there are none or the driver cannot run on this machine. */
    public List<CameraDevice> list() {
        try {
            Webcam.setDriver(new NativeDriver());
            List<Webcam> webcams = Webcam.getWebcams(DISCOVERY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            List<CameraDevice> devices = new ArrayList<>();
            for (int i = 0; i < webcams.size(); i++) {
                devices.add(new CameraDevice(i, webcams.get(i).getName()));
            }
            return devices;
        } catch (Throwable driverUnusable) {
            // no native library for this platform, or discovery timed out: behave as if no camera exists
            return List.of();
        }
    }
}
