package io.glance.ui.viewer;

import io.glance.camera.CameraState;
import io.glance.camera.FrameGrabber;
import io.glance.camera.PreviewFormat;
import io.glance.camera.PreviewFrame;
import io.glance.session.ImageOrigin;
import io.glance.session.ImageRequest;
import io.glance.vision.BgraCanvas;
import io.glance.vision.DecodedImage;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import javafx.scene.image.PixelBuffer;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

import java.nio.IntBuffer;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * View model of the picture area: the live camera (or a file standing in for it), a frozen frame, or an
 * opened image, shown through a {@link PixelBuffer} that shares memory with a {@link BgraCanvas}. Live frames arrive
 * from the camera thread already scaled to the picture area's screen pixels, converted and mirrored (see
 * {@link #fitPreviewTo}), so a pulse only copies the new one in; the full-resolution frame is what a question
 * is asked about. Offers the camera picker, resolution, mirror, freeze, a region to ask about (in fractions of
 * the picture, the same on the preview and on the full frame), and the picture to ask about as an
 * {@link ImageRequest}.
 *
 * <p>Public methods and properties: FX thread. Frames arrive on the camera thread; snapshots are taken on the
 * I/O executor; stills are freed on the inference executor, after any question that still reads them.
 */
public final class ViewerViewModel {
    /** What the picture area shows. */
    public enum Mode { LIVE, FROZEN, PHOTO }

    private final Executor io;
    private final Executor inference;
    private final Executor ui;

    private final ObservableList<CameraChoice> cameras = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would be collected along with its listeners. */
    private final ObservableList<CameraChoice> readOnlyCameras = FXCollections.unmodifiableObservableList(cameras);
    private final ObjectProperty<CameraChoice> camera = new SimpleObjectProperty<>();
    private final ObjectProperty<Resolution> resolution = new SimpleObjectProperty<>(Resolution.DEFAULT);
    private final BooleanProperty mirror = new SimpleBooleanProperty();
    private final ReadOnlyObjectWrapper<Mode> mode = new ReadOnlyObjectWrapper<>(Mode.LIVE);
    private final ReadOnlyObjectWrapper<Image> picture = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper cameraMessage = new ReadOnlyStringWrapper("Looking for cameras…");
    private final ReadOnlyBooleanWrapper retryable = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper cameraRunning = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper stillLabel = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stillId = new ReadOnlyStringWrapper("");
    private final ObjectProperty<RegionSelection> region = new SimpleObjectProperty<>();
    private final ReadOnlyDoubleWrapper previewFps = new ReadOnlyDoubleWrapper();
    private final StringExpression previewStatus = Bindings.createStringBinding(() -> mode.get() == Mode.LIVE
            ? String.format(Locale.ROOT, "Preview %.0f fps", previewFps.get()) : "Preview paused", mode, previewFps);

    private FrameGrabber grabber;
    /** The picture area's size in screen pixels, unmirrored; the live preview is scaled to fit it. */
    private PreviewFormat previewBox = PreviewFormat.FULL_SIZE;
    private String preferredCamera;
    private long seenSequence;
    private Still still;
    /** The live frame of the question being typed, or null. */
    private QuestionFrame questionFrame;
    /** Whether {@link #questionFrame} was already asked about (a new question takes a new frame). */
    private boolean questionFrameAsked;
    private int framesThisSecond;
    private long secondStartedAt;

    /**
     * Opaque BGRA bytes, handed to JavaFX as premultiplied ARGB ints: the same memory on the little-endian
     * machines Glance ships for (x64, arm64). The software renderer then copies a frame without converting each
     * pixel (as BGRA bytes the conversion kept the preview under 10 fps while an answer streamed).
     */
    private BgraCanvas bgra;
    private PixelBuffer<IntBuffer> pixelBuffer;

    private final AnimationTimer pulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            onPulse(now);
        }
    };

    /**
     * @param io        takes camera snapshots
     * @param inference frees stills after the questions that read them
     * @param ui        runs UI updates ({@code Platform::runLater} in the app)
     */
    public ViewerViewModel(Executor io, Executor inference, Executor ui) {
        this.io = io;
        this.inference = inference;
        this.ui = ui;
        camera.addListener((obs, old, now) -> restartCamera());
        resolution.addListener((obs, old, now) -> restartCamera());
        mirror.addListener((obs, old, now) -> {
            updatePreviewFormat();
            redraw();
        });
        mode.addListener((obs, old, now) -> updatePreviewFormat());
    }

    /** Offers these cameras (the preferred one is opened, else the first), or says that there is none. */
    public void setCameras(List<CameraChoice> choices) {
        cameras.setAll(choices);
        if (choices.isEmpty()) {
            cameraMessage.set("No camera found. Open, drop or paste images to ask about them.");
            retryable.set(false);
        }
        camera.set(choices.stream().filter(c -> c.name().equals(preferredCamera)).findFirst()
                .orElse(choices.isEmpty() ? null : choices.get(0)));
    }

    /** Opens the camera with this name when it is offered (now or once cameras are found). */
    public void selectCamera(String name) {
        preferredCamera = name;
        cameras.stream().filter(c -> c.name().equals(name)).findFirst().ifPresent(camera::set);
    }

    /** Starts drawing frames (call once the window shows). */
    public void start() {
        pulse.start();
    }

    /**
     * Live frames are scaled on the camera thread to fit this many screen pixels (the picture area's size
     * times the screen's scale), so the renderer neither uploads nor scales more pixels than it shows.
     */
    public void fitPreviewTo(double pixelWidth, double pixelHeight) {
        int width = (int) Math.ceil(pixelWidth);
        int height = (int) Math.ceil(pixelHeight);
        if (width < 1 || height < 1 || (width == previewBox.maxWidth() && height == previewBox.maxHeight())) {
            return;
        }
        previewBox = new PreviewFormat(width, height, false);
        updatePreviewFormat();
    }

    public ObservableList<CameraChoice> cameras() {
        return readOnlyCameras;
    }

    /** The chosen camera; writable by the picker. */
    public ObjectProperty<CameraChoice> cameraProperty() {
        return camera;
    }

    /** The requested resolution; writable by the picker. */
    public ObjectProperty<Resolution> resolutionProperty() {
        return resolution;
    }

    /** Show the live camera mirrored (the model always sees it unmirrored). */
    public BooleanProperty mirrorProperty() {
        return mirror;
    }

    public ReadOnlyObjectProperty<Mode> modeProperty() {
        return mode.getReadOnlyProperty();
    }

    /** The picture to show; its pixels change in place while live. */
    public ReadOnlyObjectProperty<Image> pictureProperty() {
        return picture.getReadOnlyProperty();
    }

    /** Why there is no live picture ("No camera found…", "… stopped sending pictures"), or empty. */
    public ReadOnlyStringProperty cameraMessageProperty() {
        return cameraMessage.getReadOnlyProperty();
    }

    /** True when opening the camera again might help. */
    public ReadOnlyBooleanProperty retryableProperty() {
        return retryable.getReadOnlyProperty();
    }

    /** True while the camera delivers frames. */
    public ReadOnlyBooleanProperty cameraRunningProperty() {
        return cameraRunning.getReadOnlyProperty();
    }

    /** What the still picture is, or empty while live. */
    public ReadOnlyStringProperty stillLabelProperty() {
        return stillLabel.getReadOnlyProperty();
    }

    /** Which still picture is shown (a new value for each frozen frame or opened image), or empty while live. */
    public ReadOnlyStringProperty stillIdProperty() {
        return stillId.getReadOnlyProperty();
    }

    /** The rectangle to ask about, or null for the whole picture; writable by the view. */
    public ObjectProperty<RegionSelection> regionProperty() {
        return region;
    }

    /** Frames drawn in the last second. */
    public ReadOnlyDoubleProperty previewFpsProperty() {
        return previewFps.getReadOnlyProperty();
    }

    /** For people: the live preview's frame rate, or that the preview is paused while a still is shown. */
    public StringExpression previewStatus() {
        return previewStatus;
    }

    /** Opens the chosen camera again after it failed or went away. */
    public void retry() {
        restartCamera();
    }

    /** Holds the current camera frame (or goes back to live when already frozen). */
    public void toggleFreeze() {
        if (mode.get() != Mode.LIVE) {
            goLive();
            return;
        }
        FrameGrabber source = grabber;
        if (source == null) {
            return;
        }
        mode.set(Mode.FROZEN);
        io.execute(() -> {
            DecodedImage frame = source.snapshot();
            if (frame != null) {
                ui.execute(() -> {
                    if (mode.get() == Mode.FROZEN) {
                        show(new Still(UUID.randomUUID().toString(), "frozen frame", ImageOrigin.CAMERA, frame),
                                Mode.FROZEN);
                    } else {
                        inference.execute(frame::close);
                    }
                });
            }
        });
    }

    /** Back to the live camera. */
    public void goLive() {
        replaceStill(null);
        region.set(null);
        mode.set(Mode.LIVE);
        stillLabel.set("");
        stillId.set("");
        seenSequence = 0;
    }

    /** Wraps a decoded picture (opened, dropped or pasted) as a still this view model may show and free. */
    public Still newStill(String label, DecodedImage image) {
        return new Still(UUID.randomUUID().toString(), label, ImageOrigin.PICTURE, image);
    }

    /** Shows an opened image in place of the camera. */
    public void showPhoto(Still photo) {
        show(photo, Mode.PHOTO);
    }

    /** Frees a still that was never shown (its question was cancelled). */
    public void discard(Still unused) {
        inference.execute(unused.image()::close);
    }

    /** The picture to ask about now: the still shown, or the newest camera frame; null when there is none. */
    public ImageRequest currentRequest() {
        RegionSelection unmirrored = unmirroredRegion();
        if (still != null) {
            return requestFor(still, unmirrored);
        }
        FrameGrabber source = grabber;
        if (source == null || !cameraRunning.get()) {
            return null;
        }
        return new ImageRequest("camera-" + UUID.randomUUID(), liveLabel(source, unmirrored), ImageOrigin.CAMERA,
                () -> cropped(source.snapshot(), unmirrored));
    }

    /**
     * Takes the live camera frame a question begun now is about, so it can be read ahead while the person types;
     * returns the request that reads it, or null when no live frame is shown. FX thread.
     */
    public ImageRequest beginQuestion() {
        if (!showsLiveFrame()) {
            return null;
        }
        QuestionFrame held = new QuestionFrame("camera-" + UUID.randomUUID(), region.get(), bgra);
        replaceQuestionFrame(held);
        return questionFrameRequest(held, grabber, unmirroredRegion());
    }

    /**
     * The picture to ask a typed question about: as {@link #currentRequest}, except that the live frame taken when
     * typing began ({@link #beginQuestion}) is kept when the camera still shows the same scene (its features may
     * be ready). FX thread.
     */
    public ImageRequest questionRequest() {
        QuestionFrame held = questionFrame;
        if (held == null || questionFrameAsked || !showsLiveFrame() || !held.sameScene(bgra, region.get())) {
            return currentRequest();
        }
        questionFrameAsked = true;
        return questionFrameRequest(held, grabber, unmirroredRegion());
    }

    /** The region asked about in the picture's own orientation (the display may mirror it), or null. */
    private RegionSelection unmirroredRegion() {
        RegionSelection selected = region.get();
        return selected == null || !showsMirrored() ? selected : selected.mirrored();
    }

    private ImageRequest questionFrameRequest(QuestionFrame held, FrameGrabber source, RegionSelection unmirrored) {
        return new ImageRequest(held.subjectId(), liveLabel(source, unmirrored), ImageOrigin.CAMERA,
                () -> held.copy(() -> cropped(source.snapshot(), unmirrored)));
    }

    /** Whether the picture area shows the running camera's frames (no still), one of them drawn already. */
    private boolean showsLiveFrame() {
        return mode.get() == Mode.LIVE && still == null && grabber != null && cameraRunning.get() && bgra != null;
    }

    private static String liveLabel(FrameGrabber source, RegionSelection region) {
        return source.source().displayName() + (region == null ? "" : " (region)");
    }

    /** FX thread: holds {@code next} (or nothing); the frame held before is freed on the inference thread. */
    private void replaceQuestionFrame(QuestionFrame next) {
        QuestionFrame previous = questionFrame;
        questionFrame = next;
        questionFrameAsked = false;
        if (previous != null) {
            previous.closeScene();
            inference.execute(previous::release);
        }
    }

    /** The request for a still (a caption of an opened image), whole. */
    public ImageRequest requestFor(Still target) {
        return requestFor(target, null);
    }

    /** Stops the camera and frees the pictures. */
    public void close() {
        pulse.stop();
        stopCamera();
        replaceStill(null);
    }

    private ImageRequest requestFor(Still target, RegionSelection selected) {
        String id = selected == null ? target.id() : target.id() + "@" + selected;
        String label = target.label() + (selected == null ? "" : " (region)");
        return new ImageRequest(id, label, target.origin(),
                () -> cropped(target.image().copy(), selected));
    }

    /** Inference thread: the region of {@code image} (which it releases when it makes a new one). */
    private static DecodedImage cropped(DecodedImage image, RegionSelection selected) {
        if (image == null || selected == null) {
            return image;
        }
        RegionSelection r = selected.clamped();
        int x = (int) Math.round(r.x() * image.width());
        int y = (int) Math.round(r.y() * image.height());
        int w = Math.max(8, Math.min(image.width() - x, (int) Math.round(r.width() * image.width())));
        int h = Math.max(8, Math.min(image.height() - y, (int) Math.round(r.height() * image.height())));
        x = Math.max(0, Math.min(x, image.width() - w));
        y = Math.max(0, Math.min(y, image.height() - h));
        DecodedImage crop = image.crop(x, y, w, h);
        image.close();
        return crop;
    }

    private void show(Still shown, Mode newMode) {
        replaceQuestionFrame(null);
        replaceStill(shown);
        region.set(null);
        mode.set(newMode);
        stillLabel.set(shown.label());
        stillId.set(shown.id());
        drawStill(shown.image(), showsMirrored());
    }

    private void replaceStill(Still next) {
        Still previous = still;
        still = next;
        if (previous != null && previous != next) {
            inference.execute(previous.image()::close);
        }
    }

    /** Draws a still again after the mirror setting changed (live frames follow with the next frame). */
    private void redraw() {
        if (still != null) {
            drawStill(still.image(), showsMirrored());
        }
    }

    /**
     * Hands the camera thread the box and mirroring of the live preview, and pauses its decoding while a still
     * is shown (nothing then looks at live frames; the next question is about the still).
     */
    private void updatePreviewFormat() {
        FrameGrabber source = grabber;
        if (source != null) {
            source.setPreviewFormat(previewBox.withMirrored(mirror.get()));
            source.setPaused(mode.get() != Mode.LIVE);
        }
    }

    /** Live frames and frozen frames follow the mirror setting; opened images never do. */
    private boolean showsMirrored() {
        return mirror.get() && mode.get() != Mode.PHOTO;
    }

    private void restartCamera() {
        stopCamera();
        CameraChoice choice = camera.get();
        if (choice == null) {
            return;
        }
        FrameGrabber started = new FrameGrabber(choice.source().apply(resolution.get()),
                (state, message) -> ui.execute(() -> onCameraState(choice, state, message)));
        grabber = started;
        seenSequence = 0;
        updatePreviewFormat();
        started.start();
    }

    private void stopCamera() {
        replaceQuestionFrame(null);
        FrameGrabber running = grabber;
        grabber = null;
        cameraRunning.set(false);
        if (running != null) {
            io.execute(running::close);
        }
    }

    private void onCameraState(CameraChoice choice, CameraState state, String message) {
        if (camera.get() != choice) {
            return;
        }
        cameraRunning.set(state == CameraState.RUNNING);
        switch (state) {
            case OPENING -> {
                cameraMessage.set("Opening " + choice.name() + "…");
                retryable.set(false);
            }
            case RUNNING -> {
                cameraMessage.set("");
                retryable.set(false);
            }
            case UNAVAILABLE, LOST -> {
                cameraMessage.set(message + ". You can retry, or open images instead.");
                retryable.set(true);
            }
            case STOPPED -> cameraMessage.set("");
        }
    }

    private void onPulse(long now) {
        FrameGrabber source = grabber;
        if (mode.get() == Mode.LIVE && source != null) {
            long before = seenSequence;
            seenSequence = source.readPreviewIfNewer(seenSequence, this::drawPreview);
            if (seenSequence != before) {
                framesThisSecond++;
            }
        }
        if (now - secondStartedAt >= 1_000_000_000L) {
            double seconds = (now - secondStartedAt) / 1e9;
            previewFps.set(secondStartedAt == 0 ? 0 : framesThisSecond / seconds);
            framesThisSecond = 0;
            secondStartedAt = now;
        }
    }

    /** FX thread: shows a still, converted into the shared pixel buffer (mirrored if asked). */
    private void drawStill(DecodedImage picture, boolean mirrored) {
        paint(picture.width(), picture.height(), target -> target.drawStill(picture, mirrored));
    }

    /** FX thread: shows a live frame's display copy (BGRA, scaled and mirrored on the camera thread). */
    private void drawPreview(PreviewFrame preview) {
        paint(preview.width(), preview.height(), preview::copyTo);
    }

    /**
     * FX thread: lets {@code fill} write a {@code width} × {@code height} BGRA picture into the shared pixel
     * buffer, made anew (and shown as a new image) when the size changed.
     */
    private void paint(int width, int height, Consumer<BgraCanvas> fill) {
        if (pixelBuffer == null || pixelBuffer.getWidth() != width || pixelBuffer.getHeight() != height) {
            if (bgra != null) {
                bgra.close();
            }
            bgra = BgraCanvas.allocate(width, height);
            pixelBuffer = new PixelBuffer<>(width, height, bgra.pixels().asIntBuffer(),
                    PixelFormat.getIntArgbPreInstance());
            fill.accept(bgra);
            picture.set(new WritableImage(pixelBuffer));
            return;
        }
        pixelBuffer.updateBuffer(buffer -> {
            fill.accept(bgra);
            return null;
        });
    }
}
