package io.glance.ui.viewer;

import io.glance.camera.FrameGrabber;
import io.glance.camera.PreviewFormat;
import io.glance.session.ImageOrigin;
import io.glance.session.ImageRequest;
import io.glance.vision.DecodedImage;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * View model of the picture area: the live camera (or a file standing in for it), a frozen frame, or an
 * opened image, drawn on a {@link PictureSurface} from a {@link CameraFeed} or a still. Live frames arrive
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

    /** The live preview's frame rate while the model answers: smooth, and the rest of the processor is its. */
    public static final double BUSY_PREVIEW_FPS = 30;

    private final Executor io;
    private final Executor inference;
    private final Executor ui;
    private final CameraFeed feed;
    private final PictureSurface surface = new PictureSurface();

    private final BooleanProperty mirror = new SimpleBooleanProperty();
    private final ReadOnlyObjectWrapper<Mode> mode = new ReadOnlyObjectWrapper<>(Mode.LIVE);
    private final ReadOnlyStringWrapper stillLabel = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper stillId = new ReadOnlyStringWrapper("");
    private final ObjectProperty<RegionSelection> region = new SimpleObjectProperty<>();
    private final StringExpression previewStatus;

    /** The picture area's size in screen pixels, unmirrored; the live preview is scaled to fit it. */
    private PreviewFormat previewBox = PreviewFormat.FULL_SIZE;
    private Still still;
    private final TypedQuestionFrame typed;

    private final AnimationTimer pulse = new AnimationTimer() {
        @Override
        public void handle(long now) {
            if (mode.get() == Mode.LIVE) {
                feed.drawNewFrame(surface);
            }
            surface.pulse(now);
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
        this.typed = new TypedQuestionFrame(inference);
        this.feed = new CameraFeed(io, ui, typed::drop);
        previewStatus = Bindings.createStringBinding(() -> mode.get() == Mode.LIVE
                ? String.format(Locale.ROOT, "Preview %.0f fps", surface.previewFpsProperty().get()) : "Preview paused",
                mode, surface.previewFpsProperty());
        mirror.addListener((obs, old, now) -> {
            updatePreviewFormat();
            redraw();
        });
        mode.addListener((obs, old, now) -> updatePreviewFormat());
    }

    /** Offers these cameras (the preferred one is opened, else the first), or says that there is none. */
    public void setCameras(List<CameraChoice> choices) {
        feed.setCameras(choices);
    }

    /** Opens the camera with this name when it is offered (now or once cameras are found). */
    public void selectCamera(String name) {
        feed.select(name);
    }

    /** Starts drawing frames (call once the window shows). */
    public void start() {
        pulse.start();
    }

    /**
     * Shows the live camera at no more than {@link #BUSY_PREVIEW_FPS} frames per second while {@code busy} (the
     * model is answering: the frames not shown are not decoded, which leaves the processor to the model), at the
     * camera's own rate otherwise.
     */
    public void setModelBusy(boolean busy) {
        feed.setMaxFramesPerSecond(busy ? BUSY_PREVIEW_FPS : 0);
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
        return feed.cameras();
    }

    /** The chosen camera; writable by the picker. */
    public ObjectProperty<CameraChoice> cameraProperty() {
        return feed.cameraProperty();
    }

    /** The requested resolution; writable by the picker. */
    public ObjectProperty<Resolution> resolutionProperty() {
        return feed.resolutionProperty();
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
        return surface.pictureProperty();
    }

    /** Why there is no live picture ("No camera found…", "… stopped sending pictures"), or empty. */
    public ReadOnlyStringProperty cameraMessageProperty() {
        return feed.messageProperty();
    }

    /** True when opening the camera again might help. */
    public ReadOnlyBooleanProperty retryableProperty() {
        return feed.retryableProperty();
    }

    /** True while the camera delivers frames. */
    public ReadOnlyBooleanProperty cameraRunningProperty() {
        return feed.runningProperty();
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
        return surface.previewFpsProperty();
    }

    /** For people: the live preview's frame rate, or that the preview is paused while a still is shown. */
    public StringExpression previewStatus() {
        return previewStatus;
    }

    /** Opens the chosen camera again after it failed or went away. */
    public void retry() {
        feed.restart();
    }

    /** Holds the current camera frame (or goes back to live when already frozen). */
    public void toggleFreeze() {
        if (mode.get() != Mode.LIVE) {
            goLive();
            return;
        }
        FrameGrabber source = feed.grabber();
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
        feed.redrawNextFrame();
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
        FrameGrabber source = feed.grabber();
        if (source == null) {
            return null;
        }
        return new ImageRequest("camera-" + UUID.randomUUID(), TypedQuestionFrame.label(source, unmirrored),
                ImageOrigin.CAMERA,
                () -> RegionSelection.crop(source.snapshot(), unmirrored));
    }

    /**
     * Takes the live camera frame a question begun now is about, so it can be read ahead while the person types;
     * returns the request that reads it, or null when no live frame is shown. FX thread.
     */
    public ImageRequest beginQuestion() {
        return showsLiveFrame()
                ? typed.begin(surface.canvas(), region.get(), feed.grabber(), unmirroredRegion()) : null;
    }

    /**
     * The picture to ask a typed question about: as {@link #currentRequest}, except that the live frame taken when
     * typing began ({@link #beginQuestion}) is kept when the camera still shows the same scene (its features may
     * be ready). FX thread.
     */
    public ImageRequest questionRequest() {
        ImageRequest held = showsLiveFrame()
                ? typed.ask(surface.canvas(), region.get(), feed.grabber(), unmirroredRegion()) : null;
        return held != null ? held : currentRequest();
    }

    /** The region asked about in the picture's own orientation (the display may mirror it), or null. */
    private RegionSelection unmirroredRegion() {
        RegionSelection selected = region.get();
        return selected == null || !showsMirrored() ? selected : selected.mirrored();
    }

    /** Whether the picture area shows the running camera's frames (no still), one of them drawn already. */
    private boolean showsLiveFrame() {
        return mode.get() == Mode.LIVE && still == null && feed.grabber() != null && surface.canvas() != null;
    }

    /** The request for a still (a caption of an opened image), whole. */
    public ImageRequest requestFor(Still target) {
        return requestFor(target, null);
    }

    /** Stops the camera and frees the pictures. */
    public void close() {
        pulse.stop();
        feed.stop();
        replaceStill(null);
    }

    private ImageRequest requestFor(Still target, RegionSelection selected) {
        String id = selected == null ? target.id() : target.id() + "@" + selected;
        String label = target.label() + (selected == null ? "" : " (region)");
        return new ImageRequest(id, label, target.origin(), () -> RegionSelection.crop(target.image().copy(), selected));
    }

    private void show(Still shown, Mode newMode) {
        typed.drop();
        replaceStill(shown);
        region.set(null);
        mode.set(newMode);
        stillLabel.set(shown.label());
        stillId.set(shown.id());
        surface.drawStill(shown.image(), showsMirrored());
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
            surface.drawStill(still.image(), showsMirrored());
        }
    }

    /**
     * Hands the camera thread the box and mirroring of the live preview, and pauses its decoding while a still
     * is shown (nothing then looks at live frames; the next question is about the still).
     */
    private void updatePreviewFormat() {
        feed.setPreview(previewBox.withMirrored(mirror.get()), mode.get() != Mode.LIVE);
    }

    /** Live frames and frozen frames follow the mirror setting; opened images never do. */
    private boolean showsMirrored() {
        return mirror.get() && mode.get() != Mode.PHOTO;
    }
}
