package io.glance.ui;

import io.glance.camera.SceneChangeDetector;
import io.glance.ui.chat.ChatTurn;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.chat.QueuedQuestion;
import io.glance.ui.history.MarkdownExport;
import io.glance.ui.inference.ImageRequest;
import io.glance.ui.settings.PreferencesStore;
import io.glance.ui.settings.UiPreferences;
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
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * View model of the main window: the question field, the chat, the picture area, the status bar, and what
 * ties them together (asking about the picture shown, captioning opened files, continuous mode, theme,
 * read-aloud, export). FX thread only; decoding and file I/O go to the I/O executor.
 */
public final class MainViewModel {
    /** The question continuous mode asks about the camera view. */
    static final String CONTINUOUS_PROMPT = "Describe what you see in one sentence.";

    private final ChatViewModel chat;
    private final ViewerViewModel viewer;
    private final StatusViewModel status;
    private final PreferencesStore preferencesStore;
    private final Optional<SpeechOutput> speech;
    private final Executor io;
    private final Executor ui;

    private final StringProperty question = new SimpleStringProperty("");
    private final BooleanProperty darkTheme = new SimpleBooleanProperty();
    private final BooleanProperty speakAnswers = new SimpleBooleanProperty();
    private final BooleanProperty continuous = new SimpleBooleanProperty();
    private final StringProperty captionPrompt = new SimpleStringProperty();
    private final ReadOnlyBooleanWrapper speechAvailable = new ReadOnlyBooleanWrapper();
    private final SceneChangeDetector sceneChange = new SceneChangeDetector();
    private final Timeline continuousTimer = new Timeline();
    private UiPreferences preferences;

    /**
     * @param preferences the preferences loaded before the window opened
     * @param io          runs decoding and file I/O
     * @param ui          runs UI updates ({@code Platform::runLater} in the app)
     */
    public MainViewModel(ChatViewModel chat, ViewerViewModel viewer, UiPreferences preferences,
                         PreferencesStore preferencesStore, Optional<SpeechOutput> speech, Executor io, Executor ui) {
        this.chat = chat;
        this.viewer = viewer;
        this.status = new StatusViewModel(chat.modelProperty(), chat.modelErrorProperty());
        this.preferencesStore = preferencesStore;
        this.speech = speech;
        this.io = io;
        this.ui = ui;
        this.preferences = preferences;
        darkTheme.set(preferences.darkTheme());
        speakAnswers.set(preferences.speakAnswers());
        captionPrompt.set(preferences.captionPrompt());
        viewer.mirrorProperty().set(preferences.mirror());
        speechAvailable.set(speech.isPresent());

        darkTheme.addListener((obs, old, dark) -> savePreferences(this.preferences.withDarkTheme(dark)));
        speakAnswers.addListener((obs, old, on) -> savePreferences(this.preferences.withSpeakAnswers(on)));
        captionPrompt.addListener((obs, old, prompt) -> savePreferences(this.preferences.withCaptionPrompt(prompt)));
        viewer.mirrorProperty().addListener((obs, old, on) -> savePreferences(this.preferences.withMirror(on)));
        chat.lastFinishedProperty().addListener((obs, old, turn) -> readAloud(turn));
        continuousTimer.getKeyFrames().add(new KeyFrame(Duration.seconds(preferences.continuousIntervalSeconds()),
                event -> describeIfChanged()));
        continuousTimer.setCycleCount(Timeline.INDEFINITE);
        continuous.addListener((obs, old, on) -> {
            sceneChange.reset();
            if (on) {
                continuousTimer.playFromStart();
            } else {
                continuousTimer.stop();
            }
        });
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

    /** The question being typed; bound to the question field. */
    public StringProperty questionProperty() {
        return question;
    }

    public BooleanProperty darkThemeProperty() {
        return darkTheme;
    }

    /** Read finished answers aloud (only offered when {@link #speechAvailableProperty()} is true). */
    public BooleanProperty speakAnswersProperty() {
        return speakAnswers;
    }

    public ReadOnlyBooleanProperty speechAvailableProperty() {
        return speechAvailable.getReadOnlyProperty();
    }

    /** Describe the camera view every few seconds when the scene changed. */
    public BooleanProperty continuousProperty() {
        return continuous;
    }

    /** The question asked about each opened image. */
    public StringProperty captionPromptProperty() {
        return captionPrompt;
    }

    /** Asks the typed question about the picture shown (or as a follow-up); clears the field when asked. */
    public void ask() {
        ImageRequest image = viewer.currentRequest();
        if (chat.ask(question.get(), image)) {
            question.set("");
        }
    }

    /**
     * Decodes the files off the FX thread and captions each image, one after another; files that are not
     * images are refused with a message.
     */
    public void openFiles(List<Path> files) {
        String prompt = captionPrompt.get();
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
        String prompt = captionPrompt.get();
        io.execute(() -> {
            Mat withAlpha = new Mat(height, width, CvType.CV_8UC4);
            withAlpha.put(0, 0, bgra);
            Mat bgr = new Mat();
            Imgproc.cvtColor(withAlpha, bgr, Imgproc.COLOR_BGRA2BGR);
            withAlpha.release();
            ui.execute(() -> {
                Still still = viewer.newStill("pasted image", new DecodedImage(bgr));
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
        continuousTimer.stop();
        speech.ifPresent(SpeechOutput::stop);
        viewer.close();
        chat.close();
        io.execute(sceneChange::close);
    }

    private void describeIfChanged() {
        if (chat.busyProperty().get() || viewer.modeProperty().get() != ViewerViewModel.Mode.LIVE) {
            return;
        }
        ImageRequest live = viewer.currentRequest();
        if (live == null) {
            return;
        }
        double threshold = preferences.sceneChangeThreshold();
        io.execute(() -> {
            DecodedImage frame = live.loader().get();
            if (frame == null) {
                return;
            }
            boolean changed = sceneChange.acceptIfChanged(frame.bgr(), threshold);
            ui.execute(() -> {
                if (!changed || !continuous.get()
                        || !chat.ask(CONTINUOUS_PROMPT, new ImageRequest("scene-" + UUID.randomUUID(), live.label(), () -> frame))) {
                    frame.close();
                }
            });
        });
    }

    private void readAloud(ChatTurn turn) {
        if (turn != null && speakAnswers.get()) {
            readAloud(turn.answerProperty().get());
        }
    }

    private void savePreferences(UiPreferences changed) {
        preferences = changed;
        io.execute(() -> {
            try {
                preferencesStore.save(changed);
            } catch (IOException e) {
                ui.execute(() -> chat.showNotice("Could not save preferences: " + e.getMessage()));
            }
        });
    }
}
