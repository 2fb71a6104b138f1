package io.glance.cli;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.library.CaptionProgress;
import io.glance.library.CaptionRun;
import io.glance.library.CaptionSetup;
import io.glance.library.CaptionSummary;
import io.glance.library.ChatCaptioner;
import io.glance.library.LibraryIndex;
import io.glance.library.SkippedFile;
import io.glance.model.ContrastiveGraph;
import io.glance.model.InvalidModelException;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.onnx.LoadedModel;
import io.glance.onnx.VisionEncoderLoading;
import io.glance.session.CaptionPrompt;
import io.glance.session.ModelLocator;
import io.glance.settings.SettingsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code glance caption DIR}: captions every image of a folder with one loaded model into the folder's index
 * ({@value LibraryIndex#DEFAULT_FILE_NAME}, or {@code --out}), updating it incrementally; with
 * {@code --embeddings} also, with {@code --embeddings-only} instead, stores each picture's CLIP-family embedding. Progress goes to
 * stderr, the summary with the skipped files to stdout. Ctrl-C stops after the file in flight and saves the
 * index. Runs on the calling thread.
 */
@Command(name = "caption", description = "Caption every image of a folder into a searchable index; re-runs caption only new or changed files.")
public final class CaptionCommand implements Callable<Integer> {
    /** How long Ctrl-C waits for the file in flight and the index save. */
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    @Parameters(index = "0", paramLabel = "DIR", description = "The image folder.")
    Path folder;

    @Option(names = "--recursive", description = "Caption the images of sub-folders too.")
    boolean recursive;

    @Option(names = "--prompt", paramLabel = "P", description = "The question asked about each image "
            + "(default: the caption prompt of the settings; \"" + CaptionPrompt.DEMO + "\" for the bundled demo model).")
    String prompt;

    @Option(names = "--out", paramLabel = "FILE", description = "The index file (default: DIR/" + LibraryIndex.DEFAULT_FILE_NAME + ").")
    Path out;

    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Mixin
    TilingOptions tiling = new TilingOptions();

    @Option(names = "--max-new-tokens", paramLabel = "N", description = "At most N tokens per caption (default: 64).")
    int maxNewTokens = 64;

    @Option(names = "--embeddings", description = "Also store each picture's image–text embedding, for search by "
            + "meaning and similar pictures.")
    boolean embeddings;

    @Option(names = "--embeddings-only", description = "Only store the embeddings (much faster than captioning); "
            + "captions already in the index are kept.")
    boolean embeddingsOnly;

    @Mixin
    LibraryEmbeddingOptions embeddingOptions = new LibraryEmbeddingOptions();

    private final ModelLocator locator;

    public CaptionCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(folder)) {
            throw new UsageException(folder + ": not a folder");
        }
        GenerationOptions options;
        try {
            options = GenerationOptions.greedy(maxNewTokens);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LibraryIndex index;
        try {
            index = LibraryIndex.open(out != null ? out : folder.resolve(LibraryIndex.DEFAULT_FILE_NAME), folder);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (OnnxEmbeddingModel embedder = embeddings || embeddingsOnly ? loadEmbedder() : null) {
            if (embeddingsOnly) {
                CaptionRun run = new CaptionRun(index, null, embedder, recursive);
                System.err.printf("glance: embedding %s with %s%n", index.root(), embedder.id());
                printSummary(runSavingOnInterrupt(run), index, stdout, "embedded");
                return 0;
            }
            try (LoadedModel loaded = modelOptions.load(locator, VisionEncoderLoading.WITH_THE_MODEL);
                 ChatSession chat = tiling.newChat(loaded, null)) {
                Path modelDir = loaded.folder().root();
                CaptionSetup setup = new CaptionSetup(modelId(modelDir), loaded.model().precisions().toString(),
                        captionPrompt(modelDir));
                CaptionRun run = new CaptionRun(index, new ChatCaptioner(chat, setup, options), embedder, recursive);
                System.err.printf("glance: captioning %s with %s %s, prompt \"%s\"%s%n", index.root(), setup.model(),
                        setup.precision(), setup.prompt(), embedder == null ? "" : "; embeddings with " + embedder.id());
                printSummary(runSavingOnInterrupt(run), index, stdout, "captioned");
                return 0;
            }
        }
    }

    private OnnxEmbeddingModel loadEmbedder() throws InvalidModelException {
        return embeddingOptions.load(locator, ContrastiveGraph.VISION, modelOptions.cpu.threading(), null);
    }

    /** Runs with a shutdown hook that cancels the run and waits until the run has saved the index. */
    private static CaptionSummary runSavingOnInterrupt(CaptionRun run) throws IOException {
        Cancellation cancel = new Cancellation();
        CountDownLatch finished = new CountDownLatch(1);
        Thread onInterrupt = new Thread(() -> {
            cancel.cancel();
            try {
                finished.await(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "glance-caption-interrupt");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        boolean console = System.console() != null;
        try {
            return run.run(progress -> printProgress(progress, console), cancel);
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the index is saved
            }
        }
    }

    /** {@code 12/340 files, 8.1 img/min, 38 min left}, rewritten in place on a console. */
    private static void printProgress(CaptionProgress progress, boolean console) {
        String left = progress.timeLeft().map(CaptionCommand::minutesAndSeconds).orElse("?");
        String line = String.format(Locale.ROOT, "%d/%d files, %.1f img/min, %s left", progress.done(),
                progress.total(), progress.imagesPerMinute(), left);
        if (console) {
            System.err.print("\r" + line + "   ");
            if (progress.done() == progress.total()) {
                System.err.println();
            }
        } else {
            System.err.println(line);
        }
    }

    private static void printSummary(CaptionSummary summary, LibraryIndex index, PrintStream out, String done) {
        out.printf(Locale.ROOT, "%s%d images: %d %s, %d unchanged, %d skipped, %d removed in %s (%.1f img/min)%s%n",
                summary.cancelled() ? "cancelled: " : "", summary.files(), summary.captioned(), done, summary.unchanged(),
                summary.skippedImages(), summary.removed(), minutesAndSeconds(summary.elapsed()),
                summary.imagesPerMinute(), summary.otherFiles() == 0 ? ""
                        : "; " + summary.otherFiles() + (summary.otherFiles() == 1 ? " other file" : " other files")
                        + " skipped");
        for (SkippedFile skipped : summary.skipped()) {
            out.println("skipped " + skipped.path() + ": " + skipped.reason());
        }
        out.println("index: " + index.file());
    }

    private static String minutesAndSeconds(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }

    /** The id captions are recorded with: the model folder's name. */
    private static String modelId(Path modelDir) {
        return modelDir.toAbsolutePath().normalize().getFileName().toString();
    }

    private String captionPrompt(Path modelDir) {
        if (prompt != null) {
            return prompt;
        }
        return CaptionPrompt.forModel(modelId(modelDir),
                new SettingsStore(locator.folders().settingsFile()).load().settings().captionPrompt());
    }
}
