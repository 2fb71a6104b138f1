package io.glance.ui.labels;

import io.glance.embedding.EmbeddingModel;
import io.glance.embedding.LabelScore;
import io.glance.session.EmbeddingService;
import io.glance.session.ImageRequest;
import io.glance.vision.DecodedImage;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * View model of the labels panel: while on, the picture shown (the newest camera frame, or the still) is labelled
 * again and again with the person's labels by the image–text model, at most {@value #MAX_PER_SECOND} times a
 * second, and each label's probability is shown; optionally it says when the best label becomes the one to watch
 * for ("tell me when it is a …").
 *
 * <p>Public methods and properties: FX thread. Frames are read and labelled on the {@link EmbeddingService}'s
 * thread, one at a time: a new one is taken only when the last result is in, so a slow model labels less often
 * and never queues up frames.
 */
public final class LabelsViewModel {
    /** Most labellings per second: the preview and the chat keep the rest of the CPU. */
    static final int MAX_PER_SECOND = 8;
    /** Probability the watched label must reach, as the best label, to be reported. */
    static final double WATCH_PROBABILITY = 0.5;
    /** Most labels used. */
    static final int MAX_LABELS = 16;
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L / MAX_PER_SECOND;

    private final EmbeddingService service;
    private final Supplier<ImageRequest> frames;
    private final Executor ui;
    private final LongSupplier clock;

    private final BooleanProperty active = new SimpleBooleanProperty();
    private final StringProperty labels = new SimpleStringProperty("red circle, blue square, yellow triangle");
    private final StringProperty watched = new SimpleStringProperty("");
    private final ObservableList<LabelRow> scores = FXCollections.observableArrayList();
    private final ObservableList<LabelRow> readOnlyScores = FXCollections.unmodifiableObservableList(scores);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper watchReport = new ReadOnlyStringWrapper("");
    private final ReadOnlyDoubleWrapper perSecond = new ReadOnlyDoubleWrapper();

    private boolean inFlight;
    private boolean watchedShown;
    private long lastStart;
    private long windowStart;
    private int windowCount;

    /**
     * @param service the image–text model's thread
     * @param frames  the picture to label now (FX thread), or null when there is none
     * @param ui      runs UI updates ({@code Platform::runLater} in the app)
     */
    public LabelsViewModel(EmbeddingService service, Supplier<ImageRequest> frames, Executor ui) {
        this(service, frames, ui, System::nanoTime);
    }

    LabelsViewModel(EmbeddingService service, Supplier<ImageRequest> frames, Executor ui, LongSupplier clock) {
        this.service = service;
        this.frames = frames;
        this.ui = ui;
        this.clock = clock;
        active.addListener((obs, was, on) -> {
            if (on) {
                message.set("");
                next();
            } else {
                scores.clear();
                perSecond.set(0);
            }
        });
    }

    /** Whether the picture is being labelled. */
    public BooleanProperty activeProperty() {
        return active;
    }

    /** The labels, comma-separated, as typed. */
    public StringProperty labelsProperty() {
        return labels;
    }

    /** The label to watch for, or empty. */
    public StringProperty watchedProperty() {
        return watched;
    }

    /** Each label's probability for the latest picture, best first; read-only. */
    public ObservableList<LabelRow> scores() {
        return readOnlyScores;
    }

    /** Why labels cannot be shown (no picture, no model), or empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** "It is a red circle (87 %) · 14:03:22" when the watched label became the best one; empty before. */
    public ReadOnlyStringProperty watchReportProperty() {
        return watchReport.getReadOnlyProperty();
    }

    /** Labellings in the last second or so. */
    public ReadOnlyDoubleProperty perSecondProperty() {
        return perSecond.getReadOnlyProperty();
    }

    /** The typed labels: comma-separated, trimmed, without empty ones or repeats, at most {@value #MAX_LABELS}. */
    public List<String> labelList() {
        return Arrays.stream(labels.get().split(",")).map(String::strip).filter(label -> !label.isEmpty())
                .distinct().limit(MAX_LABELS).toList();
    }

    private void next() {
        if (!active.get() || inFlight) {
            return;
        }
        List<String> asked = labelList();
        if (asked.isEmpty()) {
            message.set("Type the labels, separated by commas.");
            active.set(false);
            return;
        }
        ImageRequest request = frames.get();
        if (request == null) {
            message.set("No picture to label: no camera, and no picture is open.");
            active.set(false);
            return;
        }
        inFlight = true;
        long wait = Math.max(0, lastStart + MIN_INTERVAL_NANOS - clock.getAsLong());
        service.withModel(model -> label(model, request, asked, wait), this::failed);
    }

    /** Service thread. */
    private void label(EmbeddingModel model, ImageRequest request, List<String> asked, long waitNanos)
            throws InterruptedException {
        if (waitNanos > 0) {
            Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
        }
        List<LabelScore> result;
        try (DecodedImage image = request.loader().get()) {
            result = image == null ? null : model.classify(image, asked, EmbeddingModel.DEFAULT_TEMPLATE);
        }
        ui.execute(() -> show(result));
    }

    private void show(List<LabelScore> result) {
        inFlight = false;
        long now = clock.getAsLong();
        lastStart = now;
        countRate(now);
        if (!active.get()) {
            return;
        }
        if (result != null) {
            scores.setAll(result.stream().map(score -> new LabelRow(score.label(), score.probability())).toList());
            watch(result.get(0));
        }
        next();
    }

    private void watch(LabelScore best) {
        String target = watched.get() == null ? "" : watched.get().strip();
        boolean hit = !target.isEmpty() && best.label().equalsIgnoreCase(target) && best.probability() >= WATCH_PROBABILITY;
        if (hit && !watchedShown) {
            watchReport.set(String.format(Locale.ROOT, "It is %s (%.0f %%) · %s", best.label(), 100 * best.probability(),
                    LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))));
        }
        watchedShown = hit;
    }

    private void countRate(long now) {
        if (windowCount == 0) {
            windowStart = now;
        }
        windowCount++;
        double seconds = (now - windowStart) / 1e9;
        if (seconds >= 1) {
            perSecond.set((windowCount - 1) / seconds);
            windowCount = 1;
            windowStart = now;
        }
    }

    private void failed(Exception e) {
        ui.execute(() -> {
            inFlight = false;
            message.set("Labels failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            active.set(false);
        });
    }
}
