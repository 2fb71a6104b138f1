package io.glance;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.glance.camera.CameraDevice;
import io.glance.camera.CameraDirectory;
import io.glance.camera.DeviceFrameSource;
import io.glance.camera.FrameSource;
import io.glance.cli.ModelLocator;
import io.glance.generation.GenerationOptions;
import io.glance.ui.MainView;
import io.glance.ui.MainViewModel;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.history.ChatHistoryStore;
import io.glance.ui.settings.AppHome;
import io.glance.ui.settings.PreferencesStore;
import io.glance.ui.settings.UiPreferences;
import io.glance.ui.speech.SpeechOutput;
import io.glance.ui.viewer.CameraChoice;
import io.glance.ui.viewer.ViewerViewModel;
import io.glance.vision.OpenCvLibrary;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The desktop app's composition root: creates the inference, I/O and camera threads, the view models and
 * the main window, and shuts them down in order. Lifecycle methods run on JavaFX's threads as
 * {@link Application} defines.
 */
public final class GlanceApp extends Application {
    /** Answers in the app stop after this many tokens. */
    static final int MAX_ANSWER_TOKENS = 256;

    /**
     * How the app starts. Immutable.
     *
     * @param cameraFile      a video file or image folder standing in for the camera, or null
     * @param modelDir        the model folder, or null for the active installed or bundled model
     * @param generation      how answers are generated
     * @param discoverCameras look for real cameras (tests switch it off)
     * @param fpsLog          print the preview frame rate to stderr once a second
     */
    public record Options(Path cameraFile, Path modelDir, GenerationOptions generation, boolean discoverCameras,
                          boolean fpsLog) {
        public static Options defaults() {
            return new Options(null, null, GenerationOptions.greedy(MAX_ANSWER_TOKENS), true, false);
        }
    }

    private static volatile Options launchOptions = Options.defaults();

    private final Options options;
    private ExecutorService inference;
    private ExecutorService io;
    private MainViewModel model;

    /** Used by {@link Application#launch}: takes the options given to {@link #launch(Options)}. */
    public GlanceApp() {
        this(launchOptions);
    }

    /** For tests that start the window on a stage of their own. */
    public GlanceApp(Options options) {
        this.options = options;
    }

    /** Starts the desktop app and blocks until its window closes. */
    public static void launch(Options options) {
        launchOptions = options;
        Application.launch(GlanceApp.class);
    }

    @Override
    public void start(Stage stage) {
        OpenCvLibrary.ensureLoaded();
        AppHome home = AppHome.resolve();
        PreferencesStore preferencesStore = new PreferencesStore(home.preferencesFile());
        UiPreferences preferences = preferencesStore.load();
        inference = Executors.newSingleThreadExecutor(named("glance-inference", Thread.MIN_PRIORITY));
        io = Executors.newSingleThreadExecutor(named("glance-io", Thread.NORM_PRIORITY));

        ChatViewModel chat = new ChatViewModel(inference, io, Platform::runLater,
                () -> OnnxModelRuntime.load(new ModelLocator().resolve(options.modelDir())),
                new ChatHistoryStore(home.history()), options.generation());
        ViewerViewModel viewer = new ViewerViewModel(io, inference, Platform::runLater);
        model = new MainViewModel(chat, viewer, preferences, preferencesStore, SpeechOutput.detect(), io,
                Platform::runLater);

        MainView view = new MainView(model);
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(view, Math.min(1400, screen.getWidth() * 0.92), Math.min(860, screen.getHeight() * 0.92));
        scene.getStylesheets().add(GlanceApp.class.getResource("/io/glance/ui/glance.css").toExternalForm());
        applyTheme(model.darkThemeProperty().get());
        model.darkThemeProperty().addListener((obs, old, dark) -> applyTheme(dark));
        stage.setTitle("Glance");
        stage.setScene(scene);
        stage.show();
        view.focusQuestion();

        chat.loadModel();
        chat.restoreHistory();
        findCameras(viewer);
        viewer.start();
        if (options.fpsLog()) {
            viewer.previewFpsProperty().addListener((obs, old, fps) -> System.err.printf(Locale.ROOT,
                    "preview-fps %.1f generating=%b%n", fps.doubleValue(), chat.busyProperty().get()));
        }
    }

    /** The main window's view model once {@link #start} ran (tests drive the window through it). */
    public MainViewModel viewModel() {
        return model;
    }

    /** The file camera at once; real cameras once discovered off the FX thread. */
    private void findCameras(ViewerViewModel viewer) {
        List<CameraChoice> choices = new ArrayList<>();
        if (options.cameraFile() != null) {
            FrameSource file = FrameSource.forFile(options.cameraFile());
            choices.add(new CameraChoice(file.displayName() + " (file)", resolution -> file));
        }
        if (!options.discoverCameras()) {
            viewer.setCameras(choices);
            return;
        }
        io.execute(() -> {
            List<CameraDevice> devices = new CameraDirectory().list();
            Platform.runLater(() -> {
                for (CameraDevice device : devices) {
                    choices.add(new CameraChoice(device.name(),
                            resolution -> new DeviceFrameSource(device, resolution.width(), resolution.height())));
                }
                viewer.setCameras(choices);
            });
        });
    }

    private static void applyTheme(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    @Override
    public void stop() throws InterruptedException {
        if (model != null) {
            model.close();
        }
        for (ExecutorService executor : new ExecutorService[] {inference, io}) {
            if (executor != null) {
                executor.shutdown();
                executor.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name, int priority) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.setPriority(priority);
            return thread;
        };
    }
}
