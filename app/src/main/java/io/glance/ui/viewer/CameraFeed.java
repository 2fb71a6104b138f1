package io.glance.ui.viewer;

import io.glance.camera.CameraState;
import io.glance.camera.FrameGrabber;
import io.glance.camera.PreviewFormat;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Executor;

/**
 * The camera behind the picture area: the cameras offered, the one chosen and its resolution, its
 * {@link FrameGrabber} (opened again when either changes), the preview format the grabber makes, and what to tell
 * people about the camera. FX thread; the grabber's thread reports its states through the UI executor, and
 * grabbers are closed on the I/O executor.
 */
final class CameraFeed {
    private final Executor io;
    private final Executor ui;
    /** Runs before the camera stops or changes (what was taken from it is now stale). */
    private final Runnable beforeStop;
    private final ObservableList<CameraChoice> cameras = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would be collected along with its listeners. */
    private final ObservableList<CameraChoice> readOnlyCameras = FXCollections.unmodifiableObservableList(cameras);
    private final ObjectProperty<CameraChoice> camera = new SimpleObjectProperty<>();
    private final ObjectProperty<Resolution> resolution = new SimpleObjectProperty<>(Resolution.DEFAULT);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Looking for cameras…");
    private final ReadOnlyBooleanWrapper retryable = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private FrameGrabber grabber;
    private String preferredCamera;
    private PreviewFormat format = PreviewFormat.FULL_SIZE;
    private boolean paused;
    private double maxFramesPerSecond;
    private long seenSequence;

    CameraFeed(Executor io, Executor ui, Runnable beforeStop) {
        this.io = io;
        this.ui = ui;
        this.beforeStop = beforeStop;
        camera.addListener((obs, old, now) -> restart());
        resolution.addListener((obs, old, now) -> restart());
    }

    ObservableList<CameraChoice> cameras() {
        return readOnlyCameras;
    }

    ObjectProperty<CameraChoice> cameraProperty() {
        return camera;
    }

    ObjectProperty<Resolution> resolutionProperty() {
        return resolution;
    }

    /** What to tell people about the camera (opening, lost, none found), or empty. */
    ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** True when the camera failed or went away and opening it again may help. */
    ReadOnlyBooleanProperty retryableProperty() {
        return retryable.getReadOnlyProperty();
    }

    /** True while frames arrive. */
    ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** The running camera's grabber, or null. */
    FrameGrabber grabber() {
        return running.get() ? grabber : null;
    }

    /** Offers these cameras (the preferred one is opened, else the first), or says that there is none. */
    void setCameras(List<CameraChoice> choices) {
        cameras.setAll(choices);
        if (choices.isEmpty()) {
            message.set("No camera found. Open, drop or paste images to ask about them.");
            retryable.set(false);
        }
        camera.set(choices.stream().filter(c -> c.name().equals(preferredCamera)).findFirst()
                .orElse(choices.isEmpty() ? null : choices.get(0)));
    }

    /** Opens the camera with this name when it is offered (now or once cameras are found). */
    void select(String name) {
        preferredCamera = name;
        cameras.stream().filter(c -> c.name().equals(name)).findFirst().ifPresent(camera::set);
    }

    /** The size and mirroring of the preview frames, and whether the grabber may skip decoding them. */
    void setPreview(PreviewFormat newFormat, boolean newPaused) {
        format = newFormat;
        paused = newPaused;
        if (grabber != null) {
            grabber.setPreviewFormat(format);
            grabber.setPaused(paused);
        }
    }

    /** Decodes at most this many camera frames per second (0: every frame), now and after a restart. */
    void setMaxFramesPerSecond(double framesPerSecond) {
        maxFramesPerSecond = framesPerSecond;
        if (grabber != null) {
            grabber.setMaxFramesPerSecond(framesPerSecond);
        }
    }

    /** Draws the newest preview frame on {@code surface} if it has not been drawn yet. */
    void drawNewFrame(PictureSurface surface) {
        if (grabber != null) {
            seenSequence = grabber.readPreviewIfNewer(seenSequence, surface::drawPreview);
        }
    }

    /** The next frame is drawn even if it was drawn before (the picture area showed something else meanwhile). */
    void redrawNextFrame() {
        seenSequence = 0;
    }

    /** Opens the chosen camera again. */
    void restart() {
        stop();
        CameraChoice choice = camera.get();
        if (choice == null) {
            return;
        }
        FrameGrabber started = new FrameGrabber(choice.source().apply(resolution.get()),
                (state, text) -> ui.execute(() -> onState(choice, state, text)));
        grabber = started;
        seenSequence = 0;
        setPreview(format, paused);
        started.setMaxFramesPerSecond(maxFramesPerSecond);
        started.start();
    }

    /** Stops the camera; its grabber closes on the I/O executor. */
    void stop() {
        beforeStop.run();
        FrameGrabber stopped = grabber;
        grabber = null;
        running.set(false);
        if (stopped != null) {
            io.execute(stopped::close);
        }
    }

    private void onState(CameraChoice choice, CameraState state, String text) {
        if (camera.get() != choice) {
            return;
        }
        running.set(state == CameraState.RUNNING);
        switch (state) {
            case OPENING -> {
                message.set("Opening " + choice.name() + "…");
                retryable.set(false);
            }
            case RUNNING -> {
                message.set("");
                retryable.set(false);
            }
            case UNAVAILABLE, LOST -> {
                message.set(text + ". You can retry, or open images instead.");
                retryable.set(true);
            }
            case STOPPED -> message.set("");
        }
    }
}
