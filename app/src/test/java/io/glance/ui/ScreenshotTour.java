package io.glance.ui;

import io.glance.GlanceApp;
import io.glance.generation.GenerationOptions;
import javafx.application.Platform;
import javafx.stage.Stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Drives the real window under Xvfb for the README screenshots and the preview frame-rate measurement:
 * {@code ScreenshotTour SCENES_DIR OUT_DIR MODEL_DIR}. Takes screenshots with ImageMagick's {@code import} and
 * prints the preview frame rate measured while an answer is generating.
 */
public final class ScreenshotTour {
    private static MainViewModel model;

    private ScreenshotTour() {
    }

    public static void main(String[] args) throws Exception {
        Path scenes = Path.of(args[0]);
        Path out = Files.createDirectories(Path.of(args[1]));
        Path modelDir = Path.of(args[2]);
        System.setProperty("glance.home", Files.createTempDirectory("glance-tour").toString());
        GlanceApp app = new GlanceApp(new GlanceApp.Options(scenes.resolve("camera.avi"), modelDir,
                GenerationOptions.greedy(6000).withIgnoreStopTokens(true), false, false));
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> {
            Stage stage = new Stage();
            app.start(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1600);
            stage.setHeight(1000);
            model = app.viewModel();
            started.complete(null);
        });
        started.get(60, TimeUnit.SECONDS);
        await(() -> model.viewer().cameraRunningProperty().get() && model.chat().modelProperty().get() != null);
        Thread.sleep(2000);

        fx(() -> {
            model.questionProperty().set("What color is the circle?");
            model.ask();
        });
        await(() -> model.chat().busyProperty().get());
        Thread.sleep(1500);
        double[] fps = new double[5];
        for (int i = 0; i < fps.length; i++) {
            Thread.sleep(1000);
            fps[i] = value(() -> model.viewer().previewFpsProperty().get());
            boolean busy = value(() -> model.chat().busyProperty().get());
            System.out.printf(Locale.ROOT, "preview-fps %.1f while generating=%b%n", fps[i], busy);
        }
        screenshot(out.resolve("ask-camera.png"));
        fx(() -> model.chat().stop());
        await(() -> !model.chat().busyProperty().get());

        fx(() -> model.openFiles(List.of(scenes.resolve("green-triangle.png"), scenes.resolve("notes.txt"),
                scenes.resolve("yellow-triangle.jpg"))));
        await(() -> model.chat().queueProgressProperty().get().startsWith("Captioning 2"));
        Thread.sleep(1500);
        screenshot(out.resolve("drop-caption.png"));
        fx(() -> model.chat().stop());
        await(() -> !model.chat().busyProperty().get());

        fx(() -> model.darkThemeProperty().set(true));
        fx(() -> model.viewer().goLive());
        Thread.sleep(1500);
        screenshot(out.resolve("dark.png"));
        Platform.runLater(() -> {
            try {
                app.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Platform.exit();
        });
        Thread.sleep(1000);
        System.exit(0);
    }

    private static void screenshot(Path file) throws Exception {
        new ProcessBuilder("import", "-window", "root", file.toString()).inheritIO().start().waitFor();
        System.out.println("screenshot " + file);
    }

    private static void fx(Runnable action) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            action.run();
            done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
    }

    private static <T> T value(Supplier<T> read) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        Platform.runLater(() -> done.complete(read.get()));
        return done.get(10, TimeUnit.SECONDS);
    }

    private static void await(Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!value(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(100);
        }
    }
}
