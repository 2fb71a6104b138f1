package io.glance.ui.chat;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.FinishReason;
import io.glance.generation.GenerationException;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.settings.Settings;
import io.glance.ui.history.ChatHistoryStore;
import io.glance.ui.history.SavedChat;
import io.glance.ui.history.SavedTurn;
import io.glance.ui.inference.ImageOrigin;
import io.glance.ui.inference.ImageRequest;
import io.glance.ui.inference.ModelInfo;
import io.glance.ui.inference.ModelRuntime;
import io.glance.ui.inference.ModelRuntimeLoader;
import io.glance.vision.DecodedImage;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.image.Image;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * View model of the conversation: asks questions about pictures, streams answers into {@link ChatTurn}s,
 * keeps follow-ups in one conversation (same picture → the cached prefix is reused, nothing re-encoded),
 * queues captions, stops, starts new chats and keeps them in the history.
 *
 * <p>Public methods and properties: FX thread. The model and the one {@link ChatSession} live on the
 * inference executor; history writes run on the I/O executor.
 */
public final class ChatViewModel {
    /** Longest edge of the picture kept in the history for each question. */
    static final int HISTORY_IMAGE_EDGE = 640;
    static final double THUMBNAIL_WIDTH = 168;

    private final Executor inference;
    private final Executor io;
    private final Executor ui;
    private final ModelRuntimeLoader loader;
    private final ChatHistoryStore history;
    /** Fixed generation options (tests, benchmarks), or null to use the settings' answer length. */
    private final GenerationOptions fixedOptions;

    private final ObservableList<ChatTurn> turns = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would be collected along with its listeners. */
    private final ObservableList<ChatTurn> readOnlyTurns = FXCollections.unmodifiableObservableList(turns);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper queueProgress = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ModelInfo> model = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper modelError = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper loading = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ChatTurn> lastFinished = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<List<SavedChat>> savedChats = new ReadOnlyObjectWrapper<>(List.of());
    private final ReadOnlyStringWrapper modelWork = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper readAhead = new ReadOnlyStringWrapper("");
    /** The picture being read ahead ({@link #prepare}) and how to stop that; null when none. FX thread. */
    private String preparing;
    private Cancellation preparation;

    /* FX thread */
    private final Deque<QueuedQuestion> queue = new ArrayDeque<>();
    private int queueTotal;
    /** {@link #withModel} work queued or running on the inference thread. */
    private int pendingModelWork;
    private Cancellation current;
    /** The turn being answered, and its claim: whoever sets it first (answering, or Stop before that) ends it. */
    private ChatTurn currentTurn;
    private AtomicBoolean currentClaim;
    private String chatId = UUID.randomUUID().toString();
    private long chatCreatedAt = System.currentTimeMillis();
    private final List<SavedTurn> savedTurns = new ArrayList<>();

    /* inference thread */
    private ModelRuntime runtime;
    private ChatSession session;
    /** The pictures {@link #session} was made for (they may be tiled differently). */
    private ImageOrigin sessionOrigin;
    private String conversationSubject;
    /** The subject whose image features the last read ahead left in the model's frame cache. */
    private String preparedSubject;
    private Settings engineSettings = Settings.defaults();

    /**
     * @param inference the one thread that owns the model (a same-thread executor in unit tests)
     * @param io        runs history file I/O
     * @param ui        runs UI updates ({@code Platform::runLater} in the app)
     * @param options   fixed generation options, or null for greedy decoding up to the settings' answer length
     */
    public ChatViewModel(Executor inference, Executor io, Executor ui, ModelRuntimeLoader loader,
                         ChatHistoryStore history, GenerationOptions options) {
        this.inference = inference;
        this.io = io;
        this.ui = ui;
        this.loader = loader;
        this.history = history;
        this.fixedOptions = options;
    }

    /** The turns of the open chat, oldest first; read-only to views. */
    public ObservableList<ChatTurn> turns() {
        return readOnlyTurns;
    }

    /** True while an answer is being generated. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The latest message for people (a refused file, a failure), or empty. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** "Captioning 2 of 5" while the caption queue runs, else empty. */
    public ReadOnlyStringProperty queueProgressProperty() {
        return queueProgress.getReadOnlyProperty();
    }

    /** The loaded model, null until it has loaded. */
    public ReadOnlyObjectProperty<ModelInfo> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** Why the model could not load, or null. */
    public ReadOnlyStringProperty modelErrorProperty() {
        return modelError.getReadOnlyProperty();
    }

    /** The turn that finished last (for reading answers aloud). */
    public ReadOnlyObjectProperty<ChatTurn> lastFinishedProperty() {
        return lastFinished.getReadOnlyProperty();
    }

    /** The chats in the history, oldest first, the open one included once it has a turn. */
    public ReadOnlyObjectProperty<List<SavedChat>> savedChatsProperty() {
        return savedChats.getReadOnlyProperty();
    }

    /**
     * What {@link #withModel} work the model is busy with or has queued ("the library run"), which questions
     * asked now wait for; empty when there is none.
     */
    public ReadOnlyStringProperty modelWorkProperty() {
        return modelWork.getReadOnlyProperty();
    }

    /** The subject id of the picture whose image features are ready ahead of a question, or empty. */
    public ReadOnlyStringProperty readAheadProperty() {
        return readAhead.getReadOnlyProperty();
    }

    /**
     * Reads {@code image} ahead of a question about it: the vision encoder runs on the inference thread while
     * the person types, so that the answer to the first question about a frozen frame, an opened picture or
     * the live frame taken when typing began starts without waiting for the encoder. Skipped while an answer,
     * a queue or model work is under way; a question about another picture, Stop and New chat cancel it. FX
     * thread.
     */
    public void prepare(ImageRequest image) {
        if (image == null || busy.get() || !queue.isEmpty() || pendingModelWork > 0) {
            return;
        }
        cancelPreparation();
        Cancellation cancel = new Cancellation();
        preparing = image.subjectId();
        preparation = cancel;
        inference.execute(() -> readAhead(image, cancel));
    }

    /** Inference thread: encodes the picture; a failure is left for the question about it to report. */
    private void readAhead(ImageRequest image, Cancellation cancel) {
        if (cancel.isCancelled()) {
            return;
        }
        DecodedImage picture = null;
        try {
            picture = image.loader().get();
            if (picture != null) {
                session(image.origin()).prepareImages(List.of(picture), cancel);
                preparedSubject = image.subjectId();
                ui.execute(() -> {
                    if (preparation == cancel) {
                        readAhead.set(image.subjectId());
                    }
                });
            }
        } catch (Exception e) {
            // the question about this picture encodes it again and says what went wrong
        } finally {
            if (picture != null) {
                picture.close();
            }
        }
    }

    private void cancelPreparation() {
        if (preparation != null) {
            preparation.cancel();
        }
        preparation = null;
        preparing = null;
        readAhead.set("");
    }

    /** "Loading smolvlm-256m-instruct · q4 …" while a model loads, else empty. */
    public ReadOnlyStringProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /**
     * Loads the model the settings choose on the inference thread, after closing the one loaded (questions
     * asked meanwhile wait for it). The open chat stays on screen; the next question starts a new conversation.
     */
    public void loadModel(Settings settings) {
        loading.set("Loading " + settings.modelId() + " · " + settings.precision() + " …");
        inference.execute(() -> {
            closeModel();
            engineSettings = settings;
            try {
                runtime = loader.load(settings);
                ModelInfo info = runtime.info();
                ui.execute(() -> {
                    modelError.set(null);
                    model.set(info);
                    loading.set("");
                });
            } catch (Exception e) {
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                ui.execute(() -> {
                    model.set(null);
                    modelError.set(message);
                    loading.set("");
                });
            }
        });
    }

    /**
     * Uses new settings for the next questions (answer length; image splitting, longest edge and system prompt
     * start a new conversation). A change of model, precision or device needs {@link #loadModel}.
     */
    public void useSettings(Settings settings) {
        inference.execute(() -> {
            boolean restart = settings.needsNewConversation(engineSettings);
            engineSettings = settings;
            if (restart) {
                closeSession();
            }
        });
    }

    /** Reads the history and reopens the most recent chat. */
    public void restoreHistory() {
        io.execute(() -> {
            List<SavedChat> chats = history.load();
            ui.execute(() -> {
                savedChats.set(chats);
                if (!chats.isEmpty() && turns.isEmpty()) {
                    open(chats.get(chats.size() - 1));
                }
            });
        });
    }

    /** Shows a stored chat; a new question about it starts a new conversation with the model. */
    public void open(SavedChat chat) {
        stop();
        queue.clear();
        turns.clear();
        savedTurns.clear();
        savedTurns.addAll(chat.turns());
        chatId = chat.id();
        chatCreatedAt = chat.createdAt();
        for (SavedTurn saved : chat.turns()) {
            ChatTurn turn = new ChatTurn(saved.question());
            if (saved.imageFile() != null) {
                Path file = history.imagesFolder().resolve(saved.imageFile());
                turn.showImage(new Image(file.toUri().toString(), THUMBNAIL_WIDTH, 0, true, true, true),
                        null, saved.imageFile());
            }
            turn.finish(ChatTurn.State.DONE, saved.answer(), saved.details() == null ? "" : saved.details(), 0, 0);
            turns.add(turn);
        }
        forgetConversation();
    }

    /**
     * Asks a question about a picture (or about the conversation's picture, or none).
     *
     * @param image the picture; a follow-up when its subject is the conversation's; null for no new picture
     * @return false when nothing was asked (blank question, or an answer is still being generated)
     */
    public boolean ask(String question, ImageRequest image) {
        if (question == null || question.isBlank() || busy.get()) {
            return false;
        }
        start(question.strip(), image);
        return true;
    }

    /** Queues questions (captions of dropped files); they run one after another until done or stopped. */
    public void askAll(List<QueuedQuestion> questions) {
        if (questions.isEmpty()) {
            return;
        }
        if (queue.isEmpty() && !busy.get()) {
            queueTotal = 0;
        }
        queue.addAll(questions);
        queueTotal += questions.size();
        if (!busy.get()) {
            startNextQueued();
        } else {
            updateQueueProgress();
        }
    }

    /**
     * Stops the answer being generated (within one decode step) and drops the rest of the queue. A question
     * still waiting for the inference thread (behind a library run, say) ends at once, as stopped.
     */
    public void stop() {
        cancelPreparation();
        while (!queue.isEmpty()) {
            queue.poll().onDiscard().run();
        }
        queueProgress.set("");
        if (current != null) {
            current.cancel();
            if (currentClaim.compareAndSet(false, true)) {
                stoppedBeforeItStarted(currentTurn);
            }
        }
    }

    /** Closes the open chat (it stays in the history) and starts an empty one. */
    public void newChat() {
        stop();
        turns.clear();
        savedTurns.clear();
        chatId = UUID.randomUUID().toString();
        chatCreatedAt = System.currentTimeMillis();
        forgetConversation();
        notice.set("");
    }

    /** Shows a message for people in the chat pane. */
    public void showNotice(String message) {
        notice.set(message);
    }

    /** The open chat as stored, for export. */
    public SavedChat openChat() {
        return new SavedChat(chatId, chatCreatedAt, List.copyOf(savedTurns));
    }

    /** Where the open chat's pictures are. */
    public Path imagesFolder() {
        return history.imagesFolder();
    }

    /** Work that needs the loaded model, such as captioning a library; runs on the inference thread. */
    @FunctionalInterface
    public interface ModelWork {
        /**
         * @param runtime  the loaded model; the work must not close it
         * @param settings the settings in force, for {@link ModelRuntime#newChat}
         */
        void run(ModelRuntime runtime, Settings settings) throws Exception;
    }

    /**
     * Runs {@code work} on the inference thread with the model the chat uses (loading it first when none is
     * loaded): after the answers already asked and before those asked later, so the model is loaded once and
     * never used by the chat and the work at the same time. Questions asked until it ends say that they wait
     * for it ({@link ChatTurn#waitingForProperty()}).
     *
     * @param purpose what the work is, for people ("the library run")
     * @param failed  receives, on the inference thread, what loading the model or the work threw
     */
    public void withModel(String purpose, ModelWork work, Consumer<Exception> failed) {
        pendingModelWork++;
        modelWork.set(purpose);
        inference.execute(() -> {
            try {
                work.run(runtime(), engineSettings);
            } catch (Exception e) {
                failed.accept(e);
            } finally {
                ui.execute(this::modelWorkEnded);
            }
        });
    }

    private void modelWorkEnded() {
        if (--pendingModelWork == 0) {
            modelWork.set("");
        }
    }

    /** Frees the conversation and the model on the inference thread. */
    public void close() {
        stop();
        inference.execute(this::closeModel);
    }

    /** Inference thread: frees the conversation; the next question starts a new one. */
    private void closeSession() {
        conversationSubject = null;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Inference thread: frees the conversation and the model. */
    private void closeModel() {
        closeSession();
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private void forgetConversation() {
        inference.execute(() -> {
            conversationSubject = null;
            if (session != null) {
                try {
                    session.reset();
                } catch (GenerationException e) {
                    session.close();
                    session = null;
                }
            }
        });
    }

    private void startNextQueued() {
        QueuedQuestion next = queue.poll();
        if (next == null) {
            queueProgress.set("");
            return;
        }
        updateQueueProgress();
        next.onStart().run();
        start(next.question(), next.image());
    }

    private void updateQueueProgress() {
        int done = queueTotal - queue.size();
        queueProgress.set(queueTotal <= 1 ? "" : "Captioning " + done + " of " + queueTotal);
    }

    private void start(String question, ImageRequest image) {
        if (preparing != null && (image == null || !preparing.equals(image.subjectId()))) {
            cancelPreparation();
        }
        ChatTurn turn = new ChatTurn(question);
        turn.waitFor(modelWork.get());
        turns.add(turn);
        busy.set(true);
        Cancellation cancel = new Cancellation();
        AtomicBoolean claim = new AtomicBoolean();
        current = cancel;
        currentTurn = turn;
        currentClaim = claim;
        inference.execute(() -> {
            if (claim.compareAndSet(false, true)) {
                answer(turn, question, image, cancel);
            }
        });
    }

    /** Inference thread: fetches the picture, generates, and hands the result to the FX thread. */
    private void answer(ChatTurn turn, String question, ImageRequest image, Cancellation cancel) {
        ui.execute(() -> turn.waitFor(""));
        AnswerStream stream = new AnswerStream(ui, turn::appendAnswer);
        DecodedImage picture = null;
        try {
            boolean followUp = image == null || image.subjectId().equals(conversationSubject);
            ChatSession chat = followUp && session != null ? session
                    : session(image == null ? ImageOrigin.PICTURE : image.origin());
            String imageFile = null;
            if (!followUp) {
                picture = image.loader().get();
                if (picture == null) {
                    throw new IllegalStateException("no picture yet from " + image.label());
                }
                chat.reset();
                conversationSubject = image.subjectId();
                imageFile = saveForHistory(picture);
                Image thumbnail = new Image(history.imagesFolder().resolve(imageFile).toUri().toString(),
                        THUMBNAIL_WIDTH, 0, true, true);
                String file = imageFile;
                ui.execute(() -> turn.showImage(thumbnail, image.label(), file));
            }
            List<DecodedImage> images = picture == null ? List.of() : List.of(picture);
            if (cancel.isCancelled()) {
                throw new StoppedBeforeStart();
            }
            GenerationOptions options = fixedOptions != null ? fixedOptions
                    : GenerationOptions.greedy(engineSettings.maxNewTokens());
            GenerationResult result = chat.ask(question, images, options, stream::append, cancel);
            boolean readAheadUsed = !followUp && image.subjectId().equals(preparedSubject);
            if (!followUp) {
                preparedSubject = null; // the frame cache now holds this picture's features
            }
            String details = describe(result, readAheadUsed);
            String savedFile = imageFile;
            stream.finish(() -> {
                ChatTurn.State state = result.finishReason() == FinishReason.CANCELLED
                        ? ChatTurn.State.STOPPED : ChatTurn.State.DONE;
                turn.finish(state, result.text(), details, result.reusedTokens(), stream.uiUpdates());
                remember(new SavedTurn(question, result.text(), savedFile, details));
                lastFinished.set(turn);
                finished();
            });
        } catch (StoppedBeforeStart e) {
            stream.finish(() -> stoppedBeforeItStarted(turn));
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            stream.finish(() -> {
                turn.fail("Failed: " + message);
                finished();
            });
        } finally {
            if (picture != null) {
                picture.close();
            }
        }
    }

    /** FX thread: a question stopped before its first token ends with no answer. */
    private void stoppedBeforeItStarted(ChatTurn turn) {
        turn.waitFor("");
        turn.finish(ChatTurn.State.STOPPED, "", "Stopped", 0, 0);
        finished();
    }

    /** FX thread: the answer is over; the next queued question starts. */
    private void finished() {
        current = null;
        currentTurn = null;
        currentClaim = null;
        busy.set(false);
        if (!queue.isEmpty()) {
            startNextQueued();
        } else {
            queueProgress.set("");
        }
    }

    /** FX thread: adds a finished turn to the open chat and writes it to the history. */
    private void remember(SavedTurn saved) {
        savedTurns.add(saved);
        SavedChat chat = openChat();
        List<SavedChat> chats = new ArrayList<>(savedChats.get());
        chats.removeIf(c -> c.id().equals(chat.id()));
        chats.add(chat);
        savedChats.set(List.copyOf(chats));
        io.execute(() -> {
            try {
                history.save(chat);
            } catch (IOException e) {
                ui.execute(() -> notice.set("Could not save the chat history: " + e.getMessage()));
            }
        });
    }

    private ModelRuntime runtime() throws Exception {
        if (runtime == null) {
            runtime = loader.load(engineSettings);
        }
        return runtime;
    }

    /** Inference thread: the conversation for pictures of {@code origin}; one for the other origin is closed. */
    private ChatSession session(ImageOrigin origin) throws Exception {
        if (session != null && sessionOrigin != origin) {
            closeSession();
        }
        if (session == null) {
            session = runtime().newChat(engineSettings, origin);
            sessionOrigin = origin;
        }
        return session;
    }

    /** Inference thread: writes a downscaled JPEG of the picture into the history; returns its file name. */
    private String saveForHistory(DecodedImage picture) throws IOException {
        Path folder = history.imagesFolder();
        Files.createDirectories(folder);
        String name = UUID.randomUUID() + ".jpg";
        Mat bgr = picture.bgr();
        double scale = Math.min(1.0, (double) HISTORY_IMAGE_EDGE / Math.max(bgr.cols(), bgr.rows()));
        Mat small = new Mat();
        try {
            Imgproc.resize(bgr, small, new Size(Math.max(1, bgr.cols() * scale), Math.max(1, bgr.rows() * scale)),
                    0, 0, Imgproc.INTER_AREA);
            if (!Imgcodecs.imwrite(folder.resolve(name).toString(), small)) {
                throw new IOException("cannot write " + folder.resolve(name));
            }
        } finally {
            small.release();
        }
        return name;
    }

    private String describe(GenerationResult result, boolean readAhead) {
        ModelInfo info = runtime == null ? null : runtime.info();
        StringBuilder line = new StringBuilder();
        if (!Double.isNaN(result.timings().ttftMs())) {
            line.append(String.format(Locale.ROOT, "first token %.0f ms", result.timings().ttftMs()));
        }
        if (!Double.isNaN(result.timings().decodeTokensPerS())) {
            line.append(String.format(Locale.ROOT, " · %.1f tokens/s", result.timings().decodeTokensPerS()));
        }
        if (info != null) {
            line.append(" · ").append(info.device());
        }
        if (result.reusedTokens() > 0) {
            line.append(" · follow-up, ").append(result.reusedTokens()).append(" cached tokens reused");
        }
        if (readAhead) {
            line.append(" · picture read ahead");
        }
        if (result.finishReason() == FinishReason.CANCELLED) {
            line.append(" · stopped");
        }
        return line.toString();
    }

    /** The answer was stopped before generation began. */
    private static final class StoppedBeforeStart extends Exception {
    }
}
