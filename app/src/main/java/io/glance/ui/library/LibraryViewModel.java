package io.glance.ui.library;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.library.CaptionProgress;
import io.glance.library.CaptionRun;
import io.glance.library.CaptionSetup;
import io.glance.library.CaptionSummary;
import io.glance.library.ChatCaptioner;
import io.glance.library.IndexExport;
import io.glance.library.IndexedImage;
import io.glance.library.LibraryIndex;
import io.glance.library.LibrarySearch;
import io.glance.library.SearchHit;
import io.glance.library.SkippedFile;
import io.glance.session.CaptionPrompt;
import io.glance.session.EmbeddingService;
import io.glance.session.ImageOrigin;
import io.glance.session.ModelInfo;
import io.glance.session.ModelRuntime;
import io.glance.settings.Settings;
import io.glance.ui.chat.ChatViewModel;
import io.glance.ui.desktop.FileOpener;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * View model of the library window: the folder and its index, captioning it with the chat's model (progress
 * with files done, rate and time left; cancel keeps what was captioned, the index is saved), indexing the
 * pictures' image–text embeddings (the same run without captions, much faster), the files skipped with their
 * reasons, searching by caption words, by meaning or both, "more like this" from a hit, opening or revealing a hit,
 * exporting the index.
 *
 * <p>Public methods and properties: FX thread. The caption run goes through {@link ChatViewModel#withModel}
 * to the one inference thread (the model is never loaded twice, nor used by the chat at the same time); the
 * embedding run and the query's embedding go to the {@link EmbeddingService}'s thread; reading the index,
 * searching, thumbnails, exports and opening files run on the I/O executor.
 */
public final class LibraryViewModel {
    /** Progress value before the files are counted (a progress bar shows it as indeterminate). */
    static final double UNKNOWN_PROGRESS = -1;
    /** Most hits shown for one search. */
    static final int SEARCH_LIMIT = 60;
    /** Longest edge of a result's thumbnail. */
    static final double THUMBNAIL_EDGE = 160;
    /** Most tokens of one caption, as the command line's default. */
    static final int CAPTION_MAX_NEW_TOKENS = 64;

    private final ChatViewModel chat;
    private final EmbeddingService embeddings;
    private final Executor io;
    private final Executor ui;
    private final Supplier<String> configuredPrompt;
    private final FileOpener opener;

    private final ReadOnlyObjectWrapper<Path> folder = new ReadOnlyObjectWrapper<>();
    private final BooleanProperty recursive = new SimpleBooleanProperty();
    private final StringProperty prompt = new SimpleStringProperty("");
    private final StringProperty query = new SimpleStringProperty("");
    private final ObjectProperty<SearchMode> searchMode = new SimpleObjectProperty<>(SearchMode.HYBRID);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper();
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Choose a folder of images.");
    private final ObservableList<String> skipped = FXCollections.observableArrayList();
    private final ObservableList<String> readOnlySkipped = FXCollections.unmodifiableObservableList(skipped);
    private final ObservableList<LibraryResult> results = FXCollections.observableArrayList();
    private final ObservableList<LibraryResult> readOnlyResults = FXCollections.unmodifiableObservableList(results);

    /** The images of the folder's index as last read, captioned or embedded. */
    private List<IndexedImage> captions = List.of();
    private String defaultPrompt;
    private Cancellation current;
    /** Counts searches, so the hits of an outdated search are dropped. */
    private long searches;

    /**
     * @param chat             reaches the loaded model on the inference thread
     * @param embeddings       the image–text model, for the pictures' embeddings and the query's
     * @param opener           opens or reveals a hit's file (called on the I/O executor)
     * @param io               runs file I/O, searches and thumbnail decoding
     * @param ui               runs UI updates ({@code Platform::runLater} in the app)
     * @param configuredPrompt the settings' caption prompt, the default question for models other than the demo
     */
    public LibraryViewModel(ChatViewModel chat, EmbeddingService embeddings, FileOpener opener, Executor io, Executor ui,
                            Supplier<String> configuredPrompt) {
        this.chat = chat;
        this.embeddings = embeddings;
        this.opener = opener;
        this.io = io;
        this.ui = ui;
        this.configuredPrompt = configuredPrompt;
        useDefaultPrompt(chat.modelProperty().get());
        chat.modelProperty().addListener((obs, old, model) -> useDefaultPrompt(model));
    }

    /** The library folder, null until chosen. */
    public ReadOnlyObjectProperty<Path> folderProperty() {
        return folder.getReadOnlyProperty();
    }

    /** Caption the images of sub-folders too. */
    public BooleanProperty recursiveProperty() {
        return recursive;
    }

    /** The question asked about each image. */
    public StringProperty promptProperty() {
        return prompt;
    }

    /** The words searched for. */
    public StringProperty queryProperty() {
        return query;
    }

    /** How searches rank: caption words, meaning (the pictures' embeddings) or both. */
    public ObjectProperty<SearchMode> searchModeProperty() {
        return searchMode;
    }

    /** True while a caption run is going. */
    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** Fraction of the run's files done; indeterminate before the files are counted. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "2 / 5 files · 7.5 img/min · 24 s left" while captioning, else empty. */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** The latest message for people (index read, run summary, export, failures). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The files of the last run that could not be captioned, as "path — reason"; read-only. */
    public ObservableList<String> skipped() {
        return readOnlySkipped;
    }

    /** The hits of the last search, best first; read-only. */
    public ObservableList<LibraryResult> results() {
        return readOnlyResults;
    }

    /** How many images the index has a caption for. */
    public int captionCount() {
        return (int) captions.stream().filter(image -> image.caption() != null).count();
    }

    /** How many images the index has an embedding for. */
    public int embeddingCount() {
        return (int) captions.stream().filter(image -> image.embedding() != null).count();
    }

    /** Makes {@code chosen} the library folder and reads its index (if it has one) on the I/O thread. */
    public void chooseFolder(Path chosen) {
        folder.set(chosen);
        captions = List.of();
        results.clear();
        skipped.clear();
        progressText.set("");
        io.execute(() -> {
            try {
                LibraryIndex index = openIndex(chosen);
                List<IndexedImage> images = index.images();
                List<String> skippedBefore = describe(index.skipped());
                ui.execute(() -> {
                    if (chosen.equals(folder.get())) {
                        captions = images;
                        skipped.setAll(skippedBefore);
                        message.set(summary(images));
                    }
                });
            } catch (IOException e) {
                ui.execute(() -> message.set("Cannot read the index: " + e.getMessage()));
            }
        });
    }

    /** Captions the folder's new and changed images with the chat's model; does nothing while a run goes. */
    public void caption() {
        Path root = folder.get();
        if (root == null || running.get()) {
            return;
        }
        Cancellation cancel = beginRun("Waiting for the model…");
        String question = prompt.get().isBlank() ? defaultPrompt : prompt.get().strip();
        boolean withSubFolders = recursive.get();
        chat.withModel("the library run", (runtime, settings) -> captionOnInferenceThread(runtime, settings, root,
                question, withSubFolders, cancel), e -> ui.execute(() -> finishFailed("Captioning", e)));
    }

    /**
     * Stores the image–text embedding of the folder's new and changed pictures (captions are kept), for search by
     * meaning and "more like this"; does nothing while a run goes.
     */
    public void indexPictures() {
        Path root = folder.get();
        if (root == null || running.get()) {
            return;
        }
        Cancellation cancel = beginRun("Loading the image–text model…");
        boolean withSubFolders = recursive.get();
        embeddings.withModel(model -> {
            LibraryIndex index = openIndex(root);
            CaptionSummary summary = new CaptionRun(index, null, model, withSubFolders)
                    .run(state -> ui.execute(() -> showProgress(state)), cancel);
            List<IndexedImage> images = index.images();
            ui.execute(() -> finish(summary, images, "indexed"));
        }, e -> ui.execute(() -> finishFailed("Indexing", e)));
    }

    /** Marks a run as started, saying {@code waiting} until its first progress; its cancellation. */
    private Cancellation beginRun(String waiting) {
        Cancellation cancel = new Cancellation();
        current = cancel;
        running.set(true);
        progress.set(UNKNOWN_PROGRESS);
        progressText.set(waiting);
        message.set("");
        return cancel;
    }

    /** Stops the run after the file in flight; what was captioned is kept and the index saved. */
    public void cancel() {
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * Searches for the words of {@link #queryProperty()} as {@link #searchModeProperty()} says; blank words clear
     * the hits. Without embeddings in the index, a search by meaning searches the captions and says so.
     */
    public void search() {
        long search = ++searches;
        String words = query.get().strip();
        Path root = folder.get();
        if (words.isEmpty() || root == null) {
            results.clear();
            return;
        }
        List<IndexedImage> searched = captions;
        LibrarySearch.Mode mode = searchMode.get().mode();
        boolean byMeaning = mode != LibrarySearch.Mode.TEXT && embeddingCount() > 0;
        if (!byMeaning) {
            io.execute(() -> showHits(search, root, searched, library -> library.search(words, SEARCH_LIMIT),
                    mode == LibrarySearch.Mode.TEXT ? "" : "No picture is indexed yet, so only the captions were "
                            + "searched: Index pictures to search by meaning.", "Nothing found for “" + words + "”."));
            return;
        }
        String indexedWith = LibrarySearch.embeddingModelOf(searched).orElse("");
        embeddings.withModel(model -> {
            float[] vector = model.embedTexts(List.of(words))[0];
            boolean comparable = indexedWith.equals(model.id());
            io.execute(() -> showHits(search, root, searched, library -> comparable
                            ? library.search(words, vector, mode, SEARCH_LIMIT) : library.search(words, SEARCH_LIMIT),
                    comparable ? "" : "The pictures were indexed with " + indexedWith + ", not " + model.id()
                            + ", so only the captions were searched: Index pictures again to search by meaning.",
                    "Nothing found for “" + words + "”."));
        }, e -> ui.execute(() -> message.set("Search by meaning failed: " + e.getMessage())));
    }

    /** Shows the pictures that look most like {@code result}'s (by their stored embeddings), best first. */
    public void moreLikeThis(LibraryResult result) {
        long search = ++searches;
        Path root = folder.get();
        if (root == null) {
            return;
        }
        List<IndexedImage> searched = captions;
        io.execute(() -> showHits(search, root, searched, library -> library.similarTo(result.path(), SEARCH_LIMIT),
                "", result.path() + " has no embedding yet: Index pictures first."));
    }

    /** I/O thread: runs a search over {@code searched} and shows its hits and their thumbnails. */
    private void showHits(long search, Path root, List<IndexedImage> searched,
                          Function<LibrarySearch, List<SearchHit>> how, String note, String whenEmpty) {
        List<SearchHit> hits;
        try (LibrarySearch library = new LibrarySearch(root, searched)) {
            hits = how.apply(library);
        }
        List<LibraryResult> found = hits.stream().map(hit -> new LibraryResult(hit.file(), hit.image().path(),
                hit.image().caption() == null ? "" : hit.image().caption(), hit.why())).toList();
        ui.execute(() -> {
            if (search == searches) {
                results.setAll(found);
                message.set(found.isEmpty() ? whenEmpty : note);
            }
        });
        for (LibraryResult result : found) {
            Image thumbnail = new Image(result.file().toUri().toString(), THUMBNAIL_EDGE, THUMBNAIL_EDGE,
                    true, true, false);
            ui.execute(() -> result.showThumbnail(thumbnail));
        }
    }

    /** Opens the hit's file with the desktop's application for it. */
    public void open(LibraryResult result) {
        io.execute(() -> {
            try {
                opener.open(result.file());
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> message.set("Cannot open " + result.path() + ": " + e.getMessage()));
            }
        });
    }

    /** Shows the hit's file in the desktop's file manager. */
    public void reveal(LibraryResult result) {
        io.execute(() -> {
            try {
                opener.reveal(result.file());
            } catch (IOException | RuntimeException e) {
                ui.execute(() -> message.set("Cannot show the folder of " + result.path() + ": " + e.getMessage()));
            }
        });
    }

    /** Writes every caption of the index to {@code file} as CSV. */
    public void exportCsv(Path file) {
        export(IndexExport.Format.CSV, file);
    }

    /** Writes every caption of the index to {@code file} as JSON. */
    public void exportJson(Path file) {
        export(IndexExport.Format.JSON, file);
    }

    /** Stops a caption run (the app is closing). */
    public void close() {
        cancel();
    }

    private void export(IndexExport.Format format, Path file) {
        List<IndexedImage> exported = captions;
        io.execute(() -> {
            try {
                IndexExport.write(exported, format, file);
                ui.execute(() -> message.set("Exported " + exported.size() + " captions to " + file + "."));
            } catch (IOException e) {
                ui.execute(() -> message.set("Export failed: " + e.getMessage()));
            }
        });
    }

    /** Inference thread: one caption run through a conversation of its own, closed afterwards. */
    private void captionOnInferenceThread(ModelRuntime runtime, Settings settings, Path root, String question,
                                          boolean withSubFolders, Cancellation cancel) throws IOException {
        LibraryIndex index = openIndex(root);
        ModelInfo model = runtime.info();
        CaptionSetup setup = new CaptionSetup(model.name(), model.precision(), question);
        try (ChatSession session = runtime.newChat(settings, ImageOrigin.PICTURE)) {
            CaptionRun run = new CaptionRun(index, new ChatCaptioner(session, setup,
                    GenerationOptions.greedy(CAPTION_MAX_NEW_TOKENS)), withSubFolders);
            CaptionSummary summary = run.run(state -> ui.execute(() -> showProgress(state)), cancel);
            List<IndexedImage> images = index.images();
            ui.execute(() -> finish(summary, images, "captioned"));
        }
    }

    private void showProgress(CaptionProgress state) {
        progress.set(state.total() == 0 ? 1 : (double) state.done() / state.total());
        String left = state.timeLeft().map(LibraryViewModel::minutesAndSeconds).orElse("?");
        progressText.set(String.format(Locale.ROOT, "%d / %d files · %.1f img/min · %s left", state.done(),
                state.total(), state.imagesPerMinute(), left));
    }

    private void finish(CaptionSummary summary, List<IndexedImage> images, String done) {
        running.set(false);
        current = null;
        captions = images;
        skipped.setAll(describe(summary.skipped()));
        message.set(String.format(Locale.ROOT, "%s%d %s, %d unchanged, %d skipped, %d removed in %s; "
                        + "the index is saved.", summary.cancelled() ? "Cancelled: " : "", summary.captioned(), done,
                summary.unchanged(), summary.skipped().size(), summary.removed(), minutesAndSeconds(summary.elapsed())));
        if (!query.get().isBlank()) {
            search();
        }
    }

    private void finishFailed(String what, Exception e) {
        running.set(false);
        current = null;
        progress.set(0);
        progressText.set("");
        message.set(what + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }

    private static String summary(List<IndexedImage> images) {
        long captioned = images.stream().filter(image -> image.caption() != null).count();
        long embedded = images.stream().filter(image -> image.embedding() != null).count();
        return captioned + " captions and " + embedded + " indexed pictures in the index.";
    }

    /** The demo model's question for the demo model, else the settings' caption prompt. */
    private void useDefaultPrompt(ModelInfo model) {
        String configured = configuredPrompt.get();
        String now = CaptionPrompt.forModel(model == null ? null : model.name(), configured);
        if (prompt.get().isBlank() || prompt.get().equals(defaultPrompt)) {
            prompt.set(now);
        }
        defaultPrompt = now;
    }

    private static LibraryIndex openIndex(Path root) throws IOException {
        return LibraryIndex.open(root.resolve(LibraryIndex.DEFAULT_FILE_NAME), root);
    }

    private static List<String> describe(List<SkippedFile> files) {
        return files.stream().map(file -> file.path() + " — " + file.reason()).toList();
    }

    private static String minutesAndSeconds(Duration duration) {
        long seconds = Math.round(duration.toMillis() / 1000.0);
        return seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
    }
}
