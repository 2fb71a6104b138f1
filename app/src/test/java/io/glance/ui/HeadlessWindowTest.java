package io.glance.ui;

import io.glance.GlanceApp;
import io.glance.TestModels;
import io.glance.generation.GenerationOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.service.query.EmptyNodeQueryException;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What every window test shares: a headless primary stage (Monocle), the real app opened on a temp user
 * home with the bundled demo model when it has been built (else the tiny random model), file dialogs the test
 * answers and a file opener that only records (no native dialog, no desktop call), a robot, waiting, and
 * closing the app after each test. Tests run on JUnit's thread; the app on the FX thread.
 */
@Tag("window")
abstract class HeadlessWindowTest {
    private static final long WAIT_S = 90;

    @TempDir
    Path temp;

    final FxRobot robot = new FxRobot();
    final AnsweringFileDialogs dialogs = new AnsweringFileDialogs();
    final RecordingFileOpener opener = new RecordingFileOpener();
    GlanceApp app;

    @BeforeAll
    static void registerStage() throws Exception {
        System.setProperty("headless.geometry", "1600x1000-32");
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void closeWindow() throws Exception {
        if (app != null) {
            FxToolkit.cleanupApplication(app);
            app = null;
        }
    }

    /** The bundled demo model when it has been built, else the tiny random one. */
    static Path model() {
        Path demo = TestModels.repoRoot().resolve("model-assets/glance-demo-shapes");
        return Files.isDirectory(demo.resolve("onnx")) ? demo : TestModels.tinyRandom();
    }

    static boolean demoModel() {
        return !model().equals(TestModels.tinyRandom());
    }

    /** Starts the app with its user folders under {@code home}; {@code cameraFile} may be null. */
    GlanceApp launch(Path home, Path cameraFile, GenerationOptions generation) throws Exception {
        return launch(home, cameraFile, generation, model());
    }

    /** Starts the app as {@link #launch(Path, Path, GenerationOptions)} does, with the model in {@code modelFolder}. */
    GlanceApp launch(Path home, Path cameraFile, GenerationOptions generation, Path modelFolder) throws Exception {
        System.setProperty("glance.home", home.toString());
        app = (GlanceApp) FxToolkit.setupApplication(() -> new GlanceApp(
                new GlanceApp.Options(cameraFile, modelFolder, generation, false, false, dialogs, opener)));
        return app;
    }

    /** Waits for {@code condition}; a lookup that finds no node yet (the scene is being rebuilt) counts as false. */
    static void waitUntil(BooleanSupplier condition) throws Exception {
        WaitForAsyncUtils.waitFor(WAIT_S, TimeUnit.SECONDS, () -> {
            try {
                return condition.getAsBoolean();
            } catch (EmptyNodeQueryException notYetShown) {
                return false;
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }
}
