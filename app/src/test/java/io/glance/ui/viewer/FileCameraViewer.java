package io.glance.ui.viewer;

import io.glance.camera.FrameSource;
import io.glance.vision.OpenCvLibrary;
import javafx.application.Platform;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Tests' viewer on a video file standing in for the camera, its preview scaled to fit 320×240. FX toolkit needed. */
final class FileCameraViewer {
    private FileCameraViewer() {
    }

    /** Starts the FX toolkit and loads OpenCV, once per test class. */
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        OpenCvLibrary.ensureLoaded();
    }

    /** A viewer showing {@code video} live; returns once the camera runs and a frame is shown. */
    static ViewerViewModel started(Path video) throws Exception {
        ViewerViewModel viewer = onFx(() -> {
            ViewerViewModel live = new ViewerViewModel(Runnable::run, Runnable::run, Platform::runLater);
            live.fitPreviewTo(320, 240);
            live.setCameras(List.of(new CameraChoice("file", resolution -> FrameSource.forFile(video))));
            live.start();
            return live;
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() -> viewer.cameraRunningProperty().get()
                && viewer.pictureProperty().get() != null));
        return viewer;
    }

    static void close(ViewerViewModel viewer) throws Exception {
        onFx(() -> {
            viewer.close();
            return null;
        });
    }

    static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get();
    }
}
