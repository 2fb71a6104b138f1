package io.glance;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.glance.camera.CameraDevice;
import io.glance.camera.CameraDirectory;
import io.glance.camera.DeviceFrameSource;
import io.glance.camera.FrameSource;
import io.glance.os.ThreadNiceness;
import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.EmbeddingModel;
import io.glance.generation.GenerationOptions;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.store.ModelStore;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.EmbeddingService;
import io.glance.session.ModelHost;
import io.glance.session.ModelLocator;
import io.glance.session.ModelRuntime;
import io.glance.settings.LoadedSettings;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;
import io.glance.ui.MainView;
import io.glance.ui.MainViewModel;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.desktop.FileDialogs;
import io.glance.ui.desktop.FileOpener;
import io.glance.ui.history.ChatHistoryStore;
import io.glance.ui.models.ModelLibrary;
import io.glance.ui.models.ModelManagerViewModel;
import io.glance.ui.settings.SettingsViewModel;
import io.glance.ui.speech.SpeechOutput;
import io.glance.ui.viewer.CameraChoice;
import io.glance.ui.viewer.ViewerViewModel;
import io.glance.vision.OpenCvLibrary;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.layout.StackPane;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The desktop app's composition root: reads the settings, creates the inference, I/O, download and camera
 * threads, the view models and the main window, and shuts them down in order. Lifecycle methods run on
 * JavaFX's threads as {@link Application} defines. A launched app shows its window (themed, "Starting…") as soon as
 * JavaFX runs, with the settings and OpenCV read meanwhile on a thread of their own, and builds the content after
 * that first frame. With the system property {@code glance.startup.report=true} it prints both moments to stderr
 * ({@link StartupReport}).
 */
public final class GlanceApp extends Application {
    /** System property that makes the app report its startup time. */
    public static final String STARTUP_REPORT_PROPERTY = "glance.startup.report";
    private static final int[] ICON_SIZES = {16, 32, 64, 128, 256};
    /** Kernel thread name (at most 15 characters) of JavaFX's render thread. */
    private static final String RENDERER_THREAD = "QuantumRenderer";
    /**
     * JavaFX's own log. It warns on every start that JavaFX was loaded from the class path, which is how the
     * single jar and the installers ship it on purpose; that one message is filtered out, every other kept.
     * Held here because the logging framework keeps loggers (and their filters) only weakly.
     */
    private static final java.util.logging.Logger JAVAFX_LOG = java.util.logging.Logger.getLogger("javafx");

    /**
     * How the app starts. Immutable.
     *
     * @param cameraFile      a video file or image folder standing in for the camera, or null
     * @param modelDir        the model folder (used until another model is chosen in the window), or null
     *                        for the model the settings choose
     * @param generation      fixed generation options, or null for greedy answers up to the settings' length
     * @param discoverCameras look for real cameras (tests switch it off)
     * @param fpsLog          print the preview frame rate to stderr once a second
     * @param fileDialogs     the file and folder choosers (tests answer them)
     * @param fileOpener      opens and reveals files on the desktop (tests record the calls)
     */
    public record Options(Path cameraFile, Path modelDir, GenerationOptions generation, boolean discoverCameras,
                          boolean fpsLog, FileDialogs fileDialogs, FileOpener fileOpener) {

        /** With the desktop's own file dialogs and file opener. */
        public Options(Path cameraFile, Path modelDir, GenerationOptions generation, boolean discoverCameras,
                       boolean fpsLog) {
            this(cameraFile, modelDir, generation, discoverCameras, fpsLog, FileDialogs.desktop(), FileOpener.desktop());
        }

        public static Options defaults() {
            return new Options(null, null, null, true, false);
        }
    }

    private static volatile Options launchOptions = Options.defaults();
    /** The settings and OpenCV, read while JavaFX starts; taken by the first {@link #start}. */
    private static volatile CompletableFuture<Prepared> preparing;
    /** How long a SIGTERM or SIGINT waits for {@link #stop()} to save and close. */
    private static final long STOP_ON_SIGNAL_SECONDS = 10;
    /** Counted down when {@link #stop()} has finished (the window closed, or the process was told to end). */
    private static final CountDownLatch STOPPED = new CountDownLatch(1);
    private static volatile boolean started;

    private final Options options;
    /** Whether the window shows its first frame before its content is built (a launched app; tests build at once). */
    private final boolean firstFrameFirst;
    private ExecutorService inference;
    private ExecutorService embedding;
    private EmbeddingService embeddings;
    private ExecutorService io;
    private ExecutorService downloads;
    private MainViewModel model;
    private MainView view;

    /** Used by {@link Application#launch}: takes the options given to {@link #launch(Options)}. */
    public GlanceApp() {
        this(launchOptions, true);
    }

    /** For tests that start the window on a stage of their own: its content is there when {@link #start} returns. */
    public GlanceApp(Options options) {
        this(options, false);
    }

    private GlanceApp(Options options, boolean firstFrameFirst) {
        this.options = options;
        this.firstFrameFirst = firstFrameFirst;
    }

    /**
     * Starts the desktop app and blocks until its window closes. SIGTERM and SIGINT (or {@code System.exit})
     * close it as the window's close button does: {@link #stop()} runs before the process ends.
     */
    public static void launch(Options options) {
        launchOptions = options;
        preparing = CompletableFuture.supplyAsync(Prepared::read, runnable -> {
            Thread thread = new Thread(runnable, "glance-startup");
            thread.setDaemon(true);
            thread.start();
        });
        JAVAFX_LOG.setFilter(message -> message.getMessage() == null
                || !message.getMessage().startsWith("Unsupported JavaFX configuration"));
        Runtime.getRuntime().addShutdownHook(new Thread(GlanceApp::stopOnExit, "glance-app-shutdown"));
        Application.launch(GlanceApp.class);
    }

    /** Shutdown hook: when the window is still open, stops the app on the FX thread and waits (bounded). */
    private static void stopOnExit() {
        if (!started || STOPPED.getCount() == 0) {
            return;
        }
        Platform.exit();
        try {
            STOPPED.await(STOP_ON_SIGNAL_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start(Stage stage) {
        started = true;
        StartupReport report = new StartupReport();
        stage.addEventHandler(WindowEvent.WINDOW_SHOWN, event -> report.shown());
        Prepared prepared = takePrepared();
        Settings settings = prepared.loaded().settings();
        applyTheme(settings.darkTheme());
        Scene scene = new Scene(new StackPane(new Label("Starting…")), windowWidth(settings), windowHeight(settings));
        stage.setTitle("Glance");
        stage.setScene(scene);
        stage.show();
        if (!firstFrameFirst) {
            fillWindow(stage, prepared, report);
            return;
        }
        afterNextPulse(scene, () -> {
            if (STOPPED.getCount() > 0) {
                fillWindow(stage, prepared, report);
            }
        });
    }

    /** Runs {@code action} on the FX thread once the scene's next pulse has laid it out and handed it to rendering. */
    private static void afterNextPulse(Scene scene, Runnable action) {
        scene.addPostLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                scene.removePostLayoutPulseListener(this);
                Platform.runLater(action);
            }
        });
    }

    /** The window's content, threads and view models, once its first frame is on the screen; FX thread. */
    private void fillWindow(Stage stage, Prepared prepared, StartupReport report) {
        ModelLocator locator = prepared.locator();
        LoadedSettings loaded = prepared.loaded();
        inference = Executors.newSingleThreadExecutor(named("glance-inference", Thread.MIN_PRIORITY));
        embedding = Executors.newSingleThreadExecutor(named("glance-embedding", Thread.MIN_PRIORITY));
        embeddings = new EmbeddingService(embedding, () -> loadEmbeddingModel(locator));
        io = Executors.newSingleThreadExecutor(named("glance-io", Thread.NORM_PRIORITY));
        // the preview's renderer and the JIT compilers give way to the model's thread where cores are too few
        // (off the FX thread: the first call loads JNA)
        io.execute(() -> {
            ThreadNiceness.lowerThreadsNamed(RENDERER_THREAD);
            ThreadNiceness.lowerThreadsNamed(ThreadNiceness.JIT_COMPILER_THREADS);
        });
        downloads = Executors.newCachedThreadPool(named("glance-download", Thread.NORM_PRIORITY));

        ModelLibrary library = new ModelLibrary(() -> catalogFile(locator),
                new ModelStore(locator.folders().modelsDir()),
                () -> SettingsViewModel.downloadReadTimeout(prepared.settingsStore().load().settings()));
        String startupModelId = loaded.settings().modelId();
        ModelHost host = new ModelHost(inference, settings -> loadModel(locator, settings, startupModelId),
                options.generation());
        ChatViewModel chat = new ChatViewModel(host, io, Platform::runLater,
                new ChatHistoryStore(locator.folders().modelsDir().resolveSibling("history")));
        ViewerViewModel viewer = new ViewerViewModel(io, inference, Platform::runLater);
        SettingsViewModel settings = new SettingsViewModel(loaded.settings(), loaded.notice(),
                prepared.settingsStore(), library, io, Platform::runLater);
        ModelManagerViewModel models = new ModelManagerViewModel(library, io, downloads, Platform::runLater);
        model = new MainViewModel(chat, viewer, settings, models, embeddings, SpeechOutput.detect(),
                options.fileOpener(), io, Platform::runLater);

        view = new MainView(model, options.fileDialogs());
        Scene scene = stage.getScene();
        scene.getStylesheets().add(GlanceApp.class.getResource("/io/glance/ui/glance.css").toExternalForm());
        scene.setRoot(view);
        settings.settingsProperty().addListener((obs, old, now) -> applyTheme(now.darkTheme()));
        stage.getIcons().setAll(icons());
        afterNextPulse(scene, () -> {
            view.focusQuestion(); // after the pulse that took the new root in, which resets the focus owner
            report.ready();
            if (firstFrameFirst && STOPPED.getCount() > 0) {
                startWork(chat, viewer);
            }
        });
        if (!firstFrameFirst) {
            startWork(chat, viewer);
        }
    }

    /**
     * The model's loading, the chat history, the cameras: after the content's first frame in a launched app, so that
     * painting it does not share the two cores with ONNX Runtime's session creation.
     */
    private void startWork(ChatViewModel chat, ViewerViewModel viewer) {
        model.start();
        chat.restoreHistory();
        findCameras(viewer);
        viewer.start();
        if (options.fpsLog()) {
            viewer.previewFpsProperty().addListener((obs, old, fps) -> System.err.printf(Locale.ROOT,
                    "preview-fps %.1f generating=%b%n", fps.doubleValue(), chat.busyProperty().get()));
        }
    }

    /**
     * What the window needs before its first frame: OpenCV loaded, the settings read. {@link #launch} starts this on
     * a thread of its own while JavaFX starts (the second core is idle then); a window started otherwise does it here.
     */
    private record Prepared(ModelLocator locator, SettingsStore settingsStore, LoadedSettings loaded) {
        static Prepared read() {
            OpenCvLibrary.ensureLoaded();
            ModelLocator locator = new ModelLocator(UserFolders.fromSystem(), Main::printNotice);
            SettingsStore settingsStore = new SettingsStore(locator.folders().settingsFile());
            return new Prepared(locator, settingsStore, settingsStore.load());
        }
    }

    private static Prepared takePrepared() {
        CompletableFuture<Prepared> started = preparing;
        preparing = null;
        if (started == null) {
            return Prepared.read();
        }
        try {
            return started.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Embedding thread: the bundled demo CLIP (all three graphs: labels, pictures, queries) on one core, so that the
     * camera preview and the chat's model keep theirs.
     */
    private static EmbeddingModel loadEmbeddingModel(ModelLocator locator) throws InvalidModelException {
        return OnnxEmbeddingModel.load(ContrastiveFolder.open(locator.resolveEmbeddingModel(null)), null,
                EnumSet.allOf(ContrastiveGraph.class), CpuThreading.interactive(1));
    }

    /**
     * Inference thread: loads the model the settings choose. The {@code --model} folder is used while the
     * settings still name the model the app started with; otherwise the folder is resolved from the settings
     * file (written before this runs), in the settings' precision when the folder has it.
     */
    private ModelRuntime loadModel(ModelLocator locator, Settings settings, String startupModelId) throws Exception {
        Path dir = options.modelDir() != null && settings.modelId().equals(startupModelId)
                ? options.modelDir() : locator.resolve(null);
        ModelFolder folder = ModelFolder.open(dir);
        return OnnxModelRuntime.load(folder, locator.precisionFor(folder, null), settings.device());
    }

    private static Path catalogFile(ModelLocator locator) {
        try {
            return locator.catalogFile();
        } catch (InvalidModelException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static double windowWidth(Settings settings) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double fit = Math.min(1400, screen.getWidth() * 0.92);
        return settings.windowWidth() == null ? fit : Math.max(640, Math.min(screen.getWidth(), settings.windowWidth()));
    }

    private static double windowHeight(Settings settings) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double fit = Math.min(860, screen.getHeight() * 0.92);
        return settings.windowHeight() == null ? fit
                : Math.max(480, Math.min(screen.getHeight(), settings.windowHeight()));
    }

    /** The window icons, from the PNGs rendered from the one source icon. */
    private static List<Image> icons() {
        List<Image> icons = new ArrayList<>();
        for (int size : ICON_SIZES) {
            try (InputStream png = GlanceApp.class.getResourceAsStream("/io/glance/icons/glance-" + size + ".png")) {
                if (png != null) {
                    icons.add(new Image(png));
                }
            } catch (IOException e) {
                // a missing icon size only costs the window manager some scaling
            }
        }
        return icons;
    }

    /**
     * Prints, when asked to, the time from JVM start to the first frame of the window ({@code window shown after N
     * ms}) and to its content laid out ({@code window ready after N ms at epoch ms E}, E for clocks outside the
     * process); FX thread.
     */
    private static final class StartupReport {
        private final boolean enabled = Boolean.getBoolean(STARTUP_REPORT_PROPERTY);
        private boolean shown;

        void shown() {
            if (enabled && !shown) {
                shown = true;
                System.err.println("window shown after " + sinceJvmStart() + " ms");
            }
        }

        void ready() {
            if (enabled) {
                System.err.println("window ready after " + sinceJvmStart() + " ms at epoch ms " + System.currentTimeMillis());
            }
        }

        private static long sinceJvmStart() {
            return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
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
        try {
            closeInOrder();
        } finally {
            STOPPED.countDown();
        }
    }

    private void closeInOrder() throws InterruptedException {
        if (view != null) {
            view.closeWindows();
            if (view.getScene() != null) {
                model.rememberWindowSize(view.getScene().getWidth(), view.getScene().getHeight());
            }
        }
        if (model != null) {
            model.close();
        }
        if (downloads != null) {
            downloads.shutdownNow();
        }
        if (embeddings != null) {
            embeddings.close();
        }
        for (ExecutorService executor : new ExecutorService[] {inference, embedding, io}) {
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
