package io.glance.ui;

import io.glance.camera.SceneChangeDetector;
import io.glance.session.ImageOrigin;
import io.glance.session.ImageRequest;
import io.glance.settings.Settings;
import io.glance.ui.chat.ChatTurn;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.chat.QueuedQuestion;
import io.glance.ui.desktop.FileOpener;
import io.glance.ui.history.MarkdownExport;
import io.glance.session.EmbeddingService;
import io.glance.session.ModelLocator;
import io.glance.ui.labels.LabelsViewModel;
import io.glance.ui.library.LibraryViewModel;
import io.glance.ui.models.ModelManagerViewModel;
import io.glance.ui.settings.SettingsViewModel;
import io.glance.ui.speech.SpeechOutput;
import io.glance.ui.status.StatusViewModel;
import io.glance.ui.viewer.Still;
import io.glance.ui.viewer.ViewerViewModel;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.util.Duration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * View model of the main window: the question field, the chat, the picture area, the labels panel, the status bar,
 * the settings, the model manager, the image library and what ties them together (asking about the picture
 * shown, captioning opened files, continuous mode, reloading the model when the settings change it,
 * read-aloud, export).
 * FX thread only; decoding and file I/O go to the I/O executor.
 */
public final class MainViewModel {
    /** Mean absolute change (0..255) of the grey thumbnail a scene must exceed to be described again. */
    static final double SCENE_CHANGE_THRESHOLD = 12.0;

    private final ChatViewModel chat;
    private final ViewerViewModel viewer;
    private final SettingsViewModel settings;
    private final ModelManagerViewModel models;
    private final StatusViewModel status;
    private final LibraryViewModel library;
    private final LabelsViewModel labels;
    private final Optional<SpeechOutput> speech;
    private final Executor io;
    private final Executor ui;

    private final StringProperty question = new SimpleStringProperty("");
    private final BooleanProperty continuous = new SimpleBooleanProperty();
    private final ReadOnlyBooleanWrapper speechAvailable = new ReadOnlyBooleanWrapper();
    /** Used on the I/O executor only. */
    private final SceneChangeDetector sceneChange = new SceneChangeDetector();
    private final Timeline continuousTimer = new Timeline();
    /** Set by {@link #close}: settings written afterwards (the window size) no longer reach the model. */
    private boolean closed;

    /**
     * @param opener opens or reveals the library's images
     * @param io     runs decoding and file I/O
     * @param ui     runs UI updates ({@code Platform::runLater} in the app)
     */
    public MainViewModel(ChatViewModel chat, ViewerViewModel viewer, SettingsViewModel settings,
                         ModelManagerViewModel models, EmbeddingService embeddings, Optional<SpeechOutput> speech,
                         FileOpener opener, Executor io, Executor ui) {
        this.chat = chat;
        this.viewer = viewer;
        this.settings = settings;
        this.models = models;
        this.status = new StatusViewModel(chat.modelProperty(), chat.modelErrorProperty(), chat.loadingProperty());
        this.speech = speech;
        this.io = io;
        this.ui = ui;
        this.library = new LibraryViewModel(chat, embeddings, opener, io, ui, this::captionPrompt);
        this.labels = new LabelsViewModel(embeddings, viewer::currentRequest, ui);
        speechAvailable.set(speech.isPresent());
        viewer.mirrorProperty().bindBidirectional(settings.mirrorProperty());
        viewer.selectCamera(settings.settingsProperty().get().cameraId());
        viewer.cameraProperty().addListener((obs, old, choice) -> {
            if (choice != null) {
                settings.update(s -> s.withCameraId(choice.name()));
            }
        });
        chat.lastFinishedProperty().addListener((obs, old, turn) -> readAloud(turn));
        models.setOnUse((modelId, precision) -> settings.update(s -> s.withModel(modelId, precision)));
        models.setOnUseImageText(modelId -> {
            settings.update(s -> s.edit(e -> e.embeddingModelId = modelId));
            embeddings.reload();
        });
        models.setActiveModel(settings.settingsProperty().get().modelId());
        models.setActiveImageTextModel(imageTextModel(settings.settingsProperty().get()));
        viewer.stillIdProperty().addListener((obs, old, still) -> {
            if (!still.isEmpty()) {
                chat.prepare(viewer.currentRequest());
            }
        });
        question.addListener((obs, old, now) -> {
            if ((old == null || old.isBlank()) && now != null && !now.isBlank()) {
                readAheadLiveFrame();
            }
        });
        chat.busyProperty().addListener((obs, was, busy) -> {
            viewer.setModelBusy(busy);
            if (!busy && !question.get().isBlank()) {
                readAheadLiveFrame(); // typed while an answer streamed: read it ahead now
            }
        });
        chat.modelProperty().addListener((obs, old, loaded) ->
                models.setActivePrecision(loaded == null ? null : loaded.precision()));
        continuousTimer.setCycleCount(Timeline.INDEFINITE);
        scheduleContinuous(settings.settingsProperty().get());
        continuous.addListener((obs, old, on) -> {
            io.execute(sceneChange::reset);
            if (on) {
                continuousTimer.playFromStart();
            } else {
                continuousTimer.stop();
            }
        });
        settings.settingsProperty().addListener((obs, old, now) -> settingsChanged(old, now));
    }

    /** Loads the model the settings choose (call once the window shows). */
    public void start() {
        chat.loadModel(settings.settingsProperty().get());
    }

    public ChatViewModel chat() {
        return chat;
    }

    public ViewerViewModel viewer() {
        return viewer;
    }

    public StatusViewModel status() {
        return status;
    }

    public SettingsViewModel settings() {
        return settings;
    }

    public ModelManagerViewModel models() {
        return models;
    }

    /** The image library window's view model (captions a folder with the chat's model). */
    /** The image–text model the settings choose: the bundled demo CLIP when none. */
    private static String imageTextModel(Settings chosen) {
        return chosen.embeddingModelId() == null ? ModelLocator.BUNDLED_EMBEDDING_MODEL : chosen.embeddingModelId();
    }

    /** The labels panel under the picture. */
    public LabelsViewModel labels() {
        return labels;
    }

    public LibraryViewModel library() {
        return library;
    }

    /** The question being typed; bound to the question field. */
    public StringProperty questionProperty() {
        return question;
    }

    /** The dark theme is chosen (a quick toggle of the settings). */
    public BooleanProperty darkThemeProperty() {
        return settings.darkThemeProperty();
    }

    /** Read finished answers aloud (only offered when {@link #speechAvailableProperty()} is true). */
    public BooleanProperty speakAnswersProperty() {
        return settings.speechProperty();
    }

    public ReadOnlyBooleanProperty speechAvailableProperty() {
        return speechAvailable.getReadOnlyProperty();
    }

    /** Describe the camera view every few seconds when the scene changed. */
    public BooleanProperty continuousProperty() {
        return continuous;
    }

    /** Takes the live frame of the question being typed and has the encoder read it (not while a still shows). */
    private void readAheadLiveFrame() {
        if (closed) {
            return;
        }
        ImageRequest live = viewer.beginQuestion();
        if (live != null) {
            chat.prepare(live);
        }
    }

    /** Asks the typed question about the picture shown (or as a follow-up); clears the field when asked. */
    public void ask() {
        ImageRequest image = viewer.questionRequest();
        if (chat.ask(question.get(), image)) {
            question.set("");
        }
    }

    /**
     * Decodes the files off the FX thread and captions each image, one after another; files that are not
     * images are refused with a message.
     */
    public void openFiles(List<Path> files) {
        String prompt = captionPrompt();
        io.execute(() -> {
            ImageDecoder decoder = new ImageDecoder();
            List<String> refused = new ArrayList<>();
            List<Still> stills = new ArrayList<>();
            for (Path file : files) {
                try {
                    stills.add(viewer.newStill(file.getFileName().toString(), decoder.decode(file)));
                } catch (ImageLoadException e) {
                    refused.add(file.getFileName() + " (not an image we can read)");
                }
            }
            ui.execute(() -> {
                chat.showNotice(refused.isEmpty() ? "" : "Refused " + String.join(", ", refused) + ".");
                chat.askAll(stills.stream().map(still -> new QueuedQuestion(prompt, viewer.requestFor(still),
                        () -> viewer.showPhoto(still), () -> viewer.discard(still))).toList());
            });
        });
    }

    /**
     * Captions a pasted picture given as BGRA pixels (as read from the clipboard).
     *
     * @param bgra {@code width × height × 4} bytes
     */
    public void pasteImage(byte[] bgra, int width, int height) {
        String prompt = captionPrompt();
        io.execute(() -> {
            DecodedImage pasted = DecodedImage.fromBgra(bgra, width, height);
            ui.execute(() -> {
                Still still = viewer.newStill("pasted image", pasted);
                chat.askAll(List.of(new QueuedQuestion(prompt, viewer.requestFor(still),
                        () -> viewer.showPhoto(still), () -> viewer.discard(still))));
            });
        });
    }

    /** Writes the open chat as Markdown with its pictures into {@code folder}. */
    public void exportChat(Path folder) {
        var openChat = chat.openChat();
        Path images = chat.imagesFolder();
        io.execute(() -> {
            try {
                Path written = new MarkdownExport().write(openChat, images, folder);
                ui.execute(() -> chat.showNotice("Exported to " + written));
            } catch (IOException e) {
                ui.execute(() -> chat.showNotice("Export failed: " + e.getMessage()));
            }
        });
    }

    /** Reads {@code text} aloud when this machine can speak. */
    public void readAloud(String text) {
        speech.ifPresent(s -> s.speak(text));
    }

    /** Stops the window's work: camera, timers, speech, model. */
    public void close() {
        closed = true;
        continuousTimer.stop();
        speech.ifPresent(SpeechOutput::stop);
        viewer.close();
        library.close();
        chat.close();
        models.close();
        io.execute(sceneChange::close);
    }

    /** Remembers the window size for the next start. */
    public void rememberWindowSize(double width, double height) {
        settings.update(s -> s.withWindowSize((int) Math.round(width), (int) Math.round(height)));
    }

    private String captionPrompt() {
        return settings.settingsProperty().get().captionPrompt();
    }

    private void settingsChanged(Settings old, Settings now) {
        if (closed) {
            return;
        }
        models.setActiveImageTextModel(imageTextModel(now));
        if (now.needsModelReload(old)) {
            models.setActiveModel(now.modelId());
            chat.loadModel(now);
        } else {
            chat.useSettings(now);
        }
        if (now.continuousIntervalSeconds() != old.continuousIntervalSeconds()) {
            scheduleContinuous(now);
        }
        if (now.cameraId() != null && !now.cameraId().equals(old.cameraId())) {
            viewer.selectCamera(now.cameraId());
        }
    }

    private void scheduleContinuous(Settings current) {
        boolean running = continuousTimer.getStatus() == javafx.animation.Animation.Status.RUNNING;
        continuousTimer.stop();
        continuousTimer.getKeyFrames().setAll(new KeyFrame(
                Duration.seconds(Math.max(1, current.continuousIntervalSeconds())), event -> describeIfChanged()));
        if (running) {
            continuousTimer.playFromStart();
        }
    }

    /** One tick of continuous mode: describes the live camera view when it changed and no answer runs. */
    void describeIfChanged() {
        if (chat.busyProperty().get() || viewer.modeProperty().get() != ViewerViewModel.Mode.LIVE) {
            return;
        }
        ImageRequest live = viewer.currentRequest();
        if (live == null) {
            return;
        }
        String prompt = captionPrompt();
        io.execute(() -> {
            DecodedImage frame = live.loader().get();
            if (frame == null) {
                return;
            }
            boolean changed = sceneChange.acceptIfChanged(frame, SCENE_CHANGE_THRESHOLD);
            ui.execute(() -> {
                boolean asked = changed && continuous.get()
                        && chat.ask(prompt, new ImageRequest("scene-" + UUID.randomUUID(), live.label(),
                                ImageOrigin.CAMERA, () -> frame));
                if (!asked) {
                    frame.close();
                    if (changed) {
                        io.execute(sceneChange::reset);
                    }
                }
            });
        });
    }

    private void readAloud(ChatTurn turn) {
        if (turn != null && settings.speechProperty().get()) {
            readAloud(turn.answerProperty().get());
        }
    }
}
