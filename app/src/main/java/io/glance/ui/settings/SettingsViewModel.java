package io.glance.ui.settings;

import io.glance.model.download.DownloadOptions;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.ui.models.ModelChoice;
import io.glance.ui.models.ModelLibrary;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * View model of the user's settings ({@link Settings}, persisted by {@link SettingsStore}): the settings in
 * force, the notice from loading them (a corrupt file set aside), the quick toggles of the menus (dark theme,
 * mirror, read aloud) and the form of the settings dialog. Every change is written on the I/O executor first;
 * {@link #settingsProperty()} changes once the file is written, so a listener that reads the file (the model
 * loader) sees the new values. FX thread only.
 */
public final class SettingsViewModel {
    /** How the dialog offers image splitting. */
    public enum Splitting {
        AUTOMATIC("Automatic"), ON("On"), OFF("Off");

        private final String label;

        Splitting(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** Device preferences, as {@link Settings#device()} stores them. */
    public static final List<String> DEVICES = List.of("auto", "cpu", "cuda", "directml", "coreml");
    /** Themes, as {@link Settings#theme()} stores them. */
    public static final List<String> THEMES = List.of(Settings.SYSTEM, Settings.LIGHT, Settings.DARK);

    private final SettingsStore store;
    private final ModelLibrary library;
    private final Executor io;
    private final Executor ui;

    private final ReadOnlyObjectWrapper<Settings> settings;
    private final ReadOnlyStringWrapper notice;
    /** The newest requested settings (FX thread), ahead of {@link #settings} while a write is queued. */
    private Settings requested;

    private final BooleanProperty darkTheme = new SimpleBooleanProperty();
    private final BooleanProperty mirror = new SimpleBooleanProperty();
    private final BooleanProperty speech = new SimpleBooleanProperty();

    private final ObservableList<ModelChoice> modelChoices = FXCollections.observableArrayList();
    private final ObjectProperty<ModelChoice> model = new SimpleObjectProperty<>();
    private final ObservableList<String> precisionChoices = FXCollections.observableArrayList();
    private final StringProperty precision = new SimpleStringProperty();
    private final StringProperty device = new SimpleStringProperty();
    private final ObservableList<String> cameraChoices = FXCollections.observableArrayList();
    private final StringProperty camera = new SimpleStringProperty();
    private final ObjectProperty<Splitting> splitting = new SimpleObjectProperty<>(Splitting.AUTOMATIC);
    private final IntegerProperty longestEdge = new SimpleIntegerProperty();
    private final IntegerProperty maxImageTokens = new SimpleIntegerProperty();
    private final IntegerProperty maxNewTokens = new SimpleIntegerProperty();
    private final StringProperty systemPrompt = new SimpleStringProperty();
    private final StringProperty captionPrompt = new SimpleStringProperty();
    private final DoubleProperty continuousInterval = new SimpleDoubleProperty();
    private final IntegerProperty downloadReadTimeout = new SimpleIntegerProperty();
    private final StringProperty theme = new SimpleStringProperty();
    private final BooleanProperty formSpeech = new SimpleBooleanProperty();

    /**
     * @param initial the settings loaded before the window opened, with the notice from loading them (or null)
     * @param io      writes the settings file and lists the models
     * @param ui      runs UI updates ({@code Platform::runLater} in the app)
     */
    public SettingsViewModel(Settings initial, String loadNotice, SettingsStore store, ModelLibrary library,
                             Executor io, Executor ui) {
        this.store = store;
        this.library = library;
        this.io = io;
        this.ui = ui;
        this.settings = new ReadOnlyObjectWrapper<>(initial);
        this.notice = new ReadOnlyStringWrapper(loadNotice == null ? "" : loadNotice);
        this.requested = initial;
        showToggles(initial);
        settings.addListener((obs, old, now) -> showToggles(now));
        darkTheme.addListener((obs, old, dark) -> update(s -> s.darkTheme() == dark ? s
                : s.withTheme(dark ? Settings.DARK : Settings.LIGHT)));
        mirror.addListener((obs, old, on) -> update(s -> s.withMirror(on)));
        speech.addListener((obs, old, on) -> update(s -> s.withSpeech(on)));
        model.addListener((obs, old, chosen) -> offerPrecisions(chosen));
    }

    /** The settings in force (written to the file, or tried to). */
    public ReadOnlyObjectProperty<Settings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    /** Why the settings file was not used or could not be written, or empty. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Hides the notice once read. */
    public void dismissNotice() {
        notice.set("");
    }

    /** The dark theme is chosen (a menu toggle). */
    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** Show the live camera mirrored (a menu toggle). */
    public BooleanProperty mirrorProperty() {
        return mirror;
    }

    /** Read finished answers aloud (a menu toggle). */
    public BooleanProperty speechProperty() {
        return speech;
    }

    /** Changes the settings from the newest requested ones, writes them, then publishes them. */
    public void update(UnaryOperator<Settings> change) {
        Settings next = change.apply(requested);
        if (next.equals(requested)) {
            return;
        }
        requested = next;
        io.execute(() -> {
            String failure = null;
            try {
                store.save(next);
            } catch (IOException e) {
                failure = "Could not save the settings to " + store.file() + ": " + e.getMessage();
            }
            String message = failure;
            ui.execute(() -> {
                if (message != null) {
                    notice.set(message);
                }
                settings.set(next);
            });
        });
    }

    // ---- the settings dialog's form ----

    /** Fills the form from the settings in force and lists the models and cameras to offer. */
    public void editForm(List<String> cameras) {
        Settings now = requested;
        cameraChoices.setAll(cameras);
        camera.set(now.cameraId() != null && cameras.contains(now.cameraId()) ? now.cameraId()
                : cameras.isEmpty() ? null : cameras.get(0));
        device.set(DEVICES.contains(now.device()) ? now.device() : DEVICES.get(0));
        splitting.set(now.splitImages() == null ? Splitting.AUTOMATIC
                : now.splitImages() ? Splitting.ON : Splitting.OFF);
        longestEdge.set(now.longestEdge() == null ? 0 : now.longestEdge());
        maxImageTokens.set(now.maxImageTokens() == null ? 0 : now.maxImageTokens());
        maxNewTokens.set(now.maxNewTokens());
        systemPrompt.set(now.systemPrompt());
        captionPrompt.set(now.captionPrompt());
        continuousInterval.set(now.continuousIntervalSeconds());
        downloadReadTimeout.set(readTimeoutSeconds(now));
        theme.set(THEMES.contains(now.theme()) ? now.theme() : Settings.SYSTEM);
        formSpeech.set(now.speech());
        modelChoices.setAll(new ModelChoice(now.modelId(), now.modelId(), List.of(now.precision())));
        model.set(modelChoices.get(0));
        precision.set(now.precision());
        io.execute(() -> {
            List<ModelChoice> found = library.choices();
            ui.execute(() -> showModelChoices(found, now));
        });
    }

    /** Applies the form; a change of model, precision or device reloads the model. */
    public void applyForm() {
        ModelChoice chosen = model.get();
        String modelId = chosen == null ? requested.modelId() : chosen.modelId();
        String chosenPrecision = precision.get() == null ? requested.precision() : precision.get();
        String prompt = captionPrompt.get() == null || captionPrompt.get().isBlank()
                ? requested.captionPrompt() : captionPrompt.get().strip();
        update(s -> s.edit(e -> {
            e.modelId = modelId;
            e.precision = chosenPrecision;
            e.device = device.get();
            e.cameraId = camera.get();
            e.splitImages = splitting.get() == Splitting.AUTOMATIC ? null : splitting.get() == Splitting.ON;
            e.longestEdge = longestEdge.get() <= 0 ? null : longestEdge.get();
            e.maxImageTokens = maxImageTokens.get() <= 0 ? null : maxImageTokens.get();
            e.maxNewTokens = Math.max(1, maxNewTokens.get());
            e.systemPrompt = systemPrompt.get() == null ? "" : systemPrompt.get();
            e.captionPrompt = prompt;
            e.continuousIntervalSeconds = Math.max(1, continuousInterval.get());
            e.downloadReadTimeoutSeconds = downloadReadTimeout.get() == DownloadOptions.DEFAULT_READ_TIMEOUT_SECONDS
                    ? null : Math.max(1, downloadReadTimeout.get());
            e.theme = theme.get();
            e.speech = formSpeech.get();
        }));
    }

    public ObservableList<ModelChoice> modelChoices() {
        return modelChoices;
    }

    public ObjectProperty<ModelChoice> modelProperty() {
        return model;
    }

    /** The precision sets the chosen model offers. */
    public ObservableList<String> precisionChoices() {
        return precisionChoices;
    }

    public StringProperty precisionProperty() {
        return precision;
    }

    /** One of {@link #DEVICES}. */
    public StringProperty deviceProperty() {
        return device;
    }

    public ObservableList<String> cameraChoices() {
        return cameraChoices;
    }

    /** The camera's name, or null for the first one found. */
    public StringProperty cameraProperty() {
        return camera;
    }

    public ObjectProperty<Splitting> splittingProperty() {
        return splitting;
    }

    /** First-resize edge in pixels; 0 for what the model says. */
    public IntegerProperty longestEdgeProperty() {
        return longestEdge;
    }

    /** Qwen-VL's image tokens per picture; 0 for automatic. */
    public IntegerProperty maxImageTokensProperty() {
        return maxImageTokens;
    }

    public IntegerProperty maxNewTokensProperty() {
        return maxNewTokens;
    }

    public StringProperty systemPromptProperty() {
        return systemPrompt;
    }

    /** The question asked about opened images and in continuous mode. */
    public StringProperty captionPromptProperty() {
        return captionPrompt;
    }

    public DoubleProperty continuousIntervalProperty() {
        return continuousInterval;
    }

    /** Seconds a model download waits for the next bytes before the attempt counts as stalled (the form's field). */
    public IntegerProperty downloadReadTimeoutProperty() {
        return downloadReadTimeout;
    }

    /** How long a model download waits for the next bytes, as the applied settings say; any thread. */
    public static Duration downloadReadTimeout(Settings settings) {
        return Duration.ofSeconds(readTimeoutSeconds(settings));
    }

    private static int readTimeoutSeconds(Settings settings) {
        Integer seconds = settings.downloadReadTimeoutSeconds();
        return seconds == null || seconds < 1 ? DownloadOptions.DEFAULT_READ_TIMEOUT_SECONDS : seconds;
    }

    /** One of {@link #THEMES}. */
    public StringProperty themeProperty() {
        return theme;
    }

    /** Read answers aloud, as edited in the form. */
    public BooleanProperty formSpeechProperty() {
        return formSpeech;
    }

    private void showToggles(Settings shown) {
        darkTheme.set(shown.darkTheme());
        mirror.set(shown.mirror());
        speech.set(shown.speech());
    }

    private void showModelChoices(List<ModelChoice> found, Settings now) {
        String chosenPrecision = precision.get();
        modelChoices.setAll(found);
        ModelChoice current = found.stream().filter(c -> c.modelId().equals(now.modelId())).findFirst()
                .orElse(null);
        if (current == null) {
            current = new ModelChoice(now.modelId(), now.modelId() + " (not installed)", List.of(now.precision()));
            modelChoices.add(0, current);
        } else if (!current.precisions().contains(now.precision())) {
            List<String> withCurrent = new ArrayList<>(current.precisions());
            withCurrent.add(0, now.precision());
            modelChoices.set(modelChoices.indexOf(current),
                    current = new ModelChoice(current.modelId(), current.name(), withCurrent));
        }
        model.set(current);
        if (precisionChoices.contains(chosenPrecision)) {
            precision.set(chosenPrecision);
        }
    }

    private void offerPrecisions(ModelChoice chosen) {
        if (chosen == null) {
            precisionChoices.clear();
            return;
        }
        String kept = precision.get();
        precisionChoices.setAll(chosen.precisions());
        precision.set(kept != null && chosen.precisions().contains(kept) ? kept
                : chosen.precisions().isEmpty() ? null : chosen.precisions().get(0));
    }
}
