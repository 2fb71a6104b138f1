package io.glance.ui;

import io.glance.camera.FrameSource;
import io.glance.generation.GenerationOptions;
import io.glance.model.store.ModelStore;
import io.glance.session.ModelHost;
import io.glance.session.EmbeddingService;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.ui.chat.ChatTurn;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.history.ChatHistoryStore;
import io.glance.ui.models.ModelLibrary;
import io.glance.ui.models.ModelManagerViewModel;
import io.glance.ui.settings.SettingsViewModel;
import io.glance.ui.viewer.CameraChoice;
import io.glance.ui.viewer.ViewerViewModel;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Continuous mode's tick (its timer set to 10 minutes, so only the test ticks) on a still file camera: the first look is described, a look while an answer is
 * being generated is skipped, and a look at an unchanged scene is skipped. Inference is a queue the test
 * runs by hand, so "busy" lasts exactly as long as the test wants.
 */
@Tag("window")
class ContinuousModeTest {
    @TempDir
    Path temp;

    private final Queue<Runnable> inference = new ConcurrentLinkedQueue<>();
    private MainViewModel main;

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() throws Exception {
        if (main != null) {
            onFx(() -> {
                main.close();
                return null;
            });
        }
    }

    @Test
    void skipsWhileBusyAndWhenTheSceneIsUnchanged() throws Exception {
        Path scenes = Files.createDirectories(temp.resolve("scenes"));
        ShapeScenes.write(ShapeScenes.circleAndSquare(320, 240, 0), scenes.resolve("a.png"));
        main = onFx(() -> {
            ModelHost host = new ModelHost(inference::add,
                    settings -> { throw new IllegalStateException("no model in this test"); }, GenerationOptions.greedy(4));
            ChatViewModel chat = new ChatViewModel(host, Runnable::run, Platform::runLater,
                    new ChatHistoryStore(temp.resolve("history")));
            ViewerViewModel viewer = new ViewerViewModel(Runnable::run, Runnable::run, Platform::runLater);
            ModelLibrary library = new ModelLibrary(() -> temp.resolve("no-catalog.json"), new ModelStore(temp.resolve("models")),
                    () -> Duration.ofSeconds(20));
            Settings rarely = Settings.defaults().edit(e -> {
                e.captionPrompt = "What changed?";
                e.continuousIntervalSeconds = 600;
            });
            SettingsViewModel settings = new SettingsViewModel(rarely, null,
                    new SettingsStore(temp.resolve("settings.json")), library, Runnable::run, Platform::runLater);
            MainViewModel model = new MainViewModel(chat, viewer, settings,
                    new ModelManagerViewModel(library, Runnable::run, Runnable::run, Platform::runLater),
                    new EmbeddingService(Runnable::run, () -> {
                        throw new IllegalStateException("this test uses no image–text model");
                    }), Optional.empty(), new RecordingFileOpener(), Runnable::run, Platform::runLater);
            viewer.setCameras(List.of(new CameraChoice("scenes", resolution -> FrameSource.forFile(scenes))));
            return model;
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> onFx(() -> main.viewer().cameraRunningProperty().get()));

        tick();
        assertEquals(1, turns(), "the first look at the scene is described");
        assertEquals("What changed?", onFx(() -> main.chat().turns().get(0).question()));
        assertTrue(onFx(() -> main.chat().busyProperty().get()));

        tick();
        assertEquals(1, turns(), "skipped: an answer is still being generated");

        runInference();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> onFx(() -> !main.chat().busyProperty().get()));
        assertEquals(ChatTurn.State.FAILED, onFx(() -> main.chat().turns().get(0).stateProperty().get()));

        tick();
        assertEquals(1, turns(), "skipped: the scene has not changed");
    }

    /** One tick of the continuous timer with continuous mode on. */
    private void tick() throws Exception {
        onFx(() -> {
            main.continuousProperty().set(true);
            main.describeIfChanged();
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        onFx(() -> null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private int turns() throws Exception {
        return onFx(() -> main.chat().turns().size());
    }

    private void runInference() {
        Runnable task;
        while ((task = inference.poll()) != null) {
            task.run();
        }
    }

    private static <T> T onFx(Callable<T> action) throws Exception {
        return WaitForAsyncUtils.asyncFx(action).get(10, TimeUnit.SECONDS);
    }
}
