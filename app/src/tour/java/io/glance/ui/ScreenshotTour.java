package io.glance.ui;

import com.sun.javafx.perf.PerformanceTracker;
import io.glance.GlanceApp;
import io.glance.generation.GenerationOptions;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Drives the real window under Xvfb: {@code ScreenshotTour fps|frozen-stream|screenshots SCENES_DIR OUT_DIR
 * MODEL_DIR [PRECISION]} (scenes from {@link ShapeScenes#main}; the precision, fp32 when not given, as the
 * settings hold it).
 * <ul>
 * <li>{@code fps} prints the camera preview frame rate while idle, while a question is typed (3 s, the picture
 * read ahead meanwhile), the time from Enter to the first words, the rate early in the answer (short text) and
 * late in an endless answer (thousands of tokens), then the answer's details line (time to first token, tokens generated,
 * tokens/s). Per second: the camera frames handed to the picture ({@code drawn}), the frames the renderer
 * painted to the window ({@code painted}, from JavaFX's scene tracker), and the camera frames shown, the lesser
 * of the two.</li>
 * <li>{@code frozen-stream} freezes the camera, waits 4 s, streams an endless answer about the frozen frame for
 * 14 s and prints its details line.</li>
 * <li>{@code screenshots} takes the README screenshots with ImageMagick's {@code import}: ask-camera,
 * drop-caption, dark, settings, model-manager.</li>
 * </ul>
 */
public final class ScreenshotTour {
    private static MainViewModel model;
    private static MainView view;

    private ScreenshotTour() {
    }

    public static void main(String[] args) throws Exception {
        boolean screenshots = args[0].equals("screenshots");
        Path scenes = Path.of(args[1]);
        Path out = Files.createDirectories(Path.of(args[2]));
        Path modelDir = Path.of(args[3]);
        System.setProperty("glance.home", Files.createTempDirectory("glance-tour").toString());
        if (args.length > 4) {
            new SettingsStore(UserFolders.fromSystem().settingsFile())
                    .save(Settings.defaults().edit(e -> e.precision = args[4]));
        }
        GlanceApp app = new GlanceApp(new GlanceApp.Options(scenes.resolve("camera.avi"), modelDir,
                screenshots ? null : GenerationOptions.greedy(100_000).withIgnoreStopTokens(true), false, false));
        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> {
            Stage stage = new Stage();
            app.start(stage);
            stage.setX(0);
            stage.setY(0);
            stage.setWidth(1600);
            stage.setHeight(1000);
            model = app.viewModel();
            view = (MainView) stage.getScene().getRoot();
            started.complete(null);
        });
        try {
            started.get(60, TimeUnit.SECONDS);
            await(() -> model.viewer().cameraRunningProperty().get() && model.chat().modelProperty().get() != null);
            Thread.sleep(2000);
            switch (args[0]) {
                case "fps" -> measureFps();
                case "frozen-stream" -> streamAboutAFrozenFrame();
                case "labels" -> measureLabels(out);
                default -> takeScreenshots(scenes, out);
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1); // the window's threads would keep the process alive
        }
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

    private static void measureFps() throws Exception {
        sample("idle", 5);
        fx(() -> model.questionProperty().set("Describe the image in detail."));
        sample("typing", 3);
        long asked = System.nanoTime();
        fx(() -> model.ask());
        while (answerLength() == 0) {
            Thread.sleep(10);
        }
        System.out.printf(Locale.ROOT, "first-words-after-enter-ms %.0f%n", (System.nanoTime() - asked) / 1e6);
        Thread.sleep(1000);
        sample("short answer", 3);
        Thread.sleep(12_000);
        sample("long answer", 5);
        fx(() -> model.chat().stop());
        await(() -> !model.chat().busyProperty().get());
        printLastAnswerDetails();
    }

    /**
     * The preview frame rate idle and with the Labels panel on (three labels on the live camera), the labellings per
     * second, and a screenshot of the panel.
     */
    private static void measureLabels(Path out) throws Exception {
        sample("idle", 5);
        fx(() -> {
            model.labels().labelsProperty().set("red circle, blue square, yellow triangle");
            model.labels().activeProperty().set(true);
        });
        Thread.sleep(3000);
        double[] rates = new double[5];
        for (int i = 0; i < rates.length; i++) {
            sample("labels " + (i + 1), 1);
            rates[i] = value(() -> model.labels().perSecondProperty().get());
        }
        System.out.printf(Locale.ROOT, "labels-per-second median %.1f (min %.1f, max %.1f)%n", median(rates),
                Arrays.stream(rates).min().orElse(0), Arrays.stream(rates).max().orElse(0));
        screenshot(out.resolve("labels.png"));
    }

    private static void printLastAnswerDetails() throws Exception {
        System.out.println("answer-details " + value(() -> model.chat().turns().get(model.chat().turns().size() - 1)
                .detailsProperty().get()));
    }

    /** Freezes the camera, lets the frame be read ahead, streams an answer for 14 s, prints its details line. */
    private static void streamAboutAFrozenFrame() throws Exception {
        fx(() -> model.viewer().toggleFreeze());
        Thread.sleep(4000);
        fx(() -> {
            model.questionProperty().set("Describe the image in detail.");
            model.ask();
        });
        Thread.sleep(14_000);
        fx(() -> model.chat().stop());
        await(() -> !model.chat().busyProperty().get());
        printLastAnswerDetails();
    }

    /**
     * Prints the preview frame rate of the next {@code seconds} seconds (camera frames shown: min, median, max;
     * the medians of frames drawn and painted) and the answer's length.
     */
    private static void sample(String phase, int seconds) throws Exception {
        PerformanceTracker painted = value(() -> PerformanceTracker.getSceneTracker(view.getScene()));
        double[] drawn = new double[seconds];
        double[] paintedFps = new double[seconds];
        double[] shown = new double[seconds];
        value(() -> {
            painted.resetAverageFPS();
            return null;
        });
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            int second = i;
            value(() -> {
                drawn[second] = model.viewer().previewFpsProperty().get();
                paintedFps[second] = painted.getAverageFPS();
                painted.resetAverageFPS();
                return null;
            });
            shown[i] = Math.min(drawn[i], paintedFps[i]);
        }
        int chars = answerLength();
        System.out.printf(Locale.ROOT, "preview-fps %-12s min %.1f median %.1f max %.1f (drawn %.1f, painted %.1f; "
                        + "answer %d chars)%n", phase, Arrays.stream(shown).min().orElse(0), median(shown),
                Arrays.stream(shown).max().orElse(0), median(drawn), median(paintedFps), chars);
    }

    private static int answerLength() throws Exception {
        return value(() -> model.chat().turns().isEmpty() ? 0
                : model.chat().turns().get(model.chat().turns().size() - 1).answerProperty().get().length());
    }

    private static double median(double[] values) {
        return Arrays.stream(values).sorted().toArray()[values.length / 2];
    }

    private static void takeScreenshots(Path scenes, Path out) throws Exception {
        askAndWait("What color is the circle?");
        askAndWait("What shape is the blue object?");
        Thread.sleep(1000);
        screenshot(out.resolve("ask-camera.png"));

        fx(() -> model.chat().newChat());
        fx(() -> model.openFiles(List.of(scenes.resolve("green-triangle.png"), scenes.resolve("notes.txt"),
                scenes.resolve("yellow-triangle.jpg"))));
        await(() -> model.chat().turns().size() == 2 && !model.chat().busyProperty().get());
        askAndWait("What color is it?");
        Thread.sleep(1000);
        screenshot(out.resolve("drop-caption.png"));

        fx(() -> model.darkThemeProperty().set(true));
        fx(() -> model.viewer().goLive());
        fx(() -> model.chat().newChat());
        askAndWait("How many shapes are there?");
        Thread.sleep(1500);
        screenshot(out.resolve("dark.png"));
        fx(() -> model.darkThemeProperty().set(false));
        Thread.sleep(500);

        fx(view::openSettings);
        Thread.sleep(1500);
        screenshot(out.resolve("settings.png"));
        fx(ScreenshotTour::closeDialogs);

        fx(view::openModelManager);
        Thread.sleep(1500);
        screenshot(out.resolve("model-manager.png"));
        fx(ScreenshotTour::closeDialogs);

        fx(view::openLibrary);
        fx(() -> model.library().chooseFolder(scenes));
        Thread.sleep(1000);
        fx(() -> model.library().indexPictures());
        await(() -> !model.library().runningProperty().get() && model.library().embeddingCount() > 0);
        fx(() -> {
            model.library().queryProperty().set("yellow triangle");
            model.library().search();
        });
        await(() -> !model.library().results().isEmpty());
        Thread.sleep(1500);
        screenshot(out.resolve("library-meaning.png"));
        fx(ScreenshotTour::closeDialogs);
    }

    /** Closes every window but the main one. */
    private static void closeDialogs() {
        for (Window window : List.copyOf(Window.getWindows())) {
            if (window.getScene() == null || window.getScene().getRoot() != view) {
                window.hide();
            }
        }
    }

    private static void screenshot(Path file) throws Exception {
        new ProcessBuilder("import", "-window", "root", "-crop", "1600x1000+0+0", file.toString())
                .inheritIO().start().waitFor();
        System.out.println("screenshot " + file);
    }

    /** Asks {@code question} in the chat as if typed and waits until the answer has ended. */
    private static void askAndWait(String question) throws Exception {
        fx(() -> {
            model.questionProperty().set(question);
            model.ask();
        });
        await(() -> model.chat().busyProperty().get());
        await(() -> !model.chat().busyProperty().get());
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
        // Long: laying out a finished answer of thousands of random-weight tokens (rare scripts, font fallback)
        // takes the FX thread seconds under load.
        return done.get(60, TimeUnit.SECONDS);
    }

    private static void await(Supplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!value(condition)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out");
            }
            Thread.sleep(100);
        }
    }
}
