package io.glance.ui.chat;

import io.glance.session.AskedQuestion;
import io.glance.session.ImageRequest;
import io.glance.session.ModelHost;
import io.glance.session.ModelInfo;
import io.glance.session.ModelWork;
import io.glance.session.PreparedPicture;
import io.glance.settings.Settings;
import io.glance.ui.history.ChatHistoryStore;
import io.glance.ui.history.OpenChat;
import io.glance.ui.history.SavedChat;
import io.glance.ui.history.SavedTurn;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * View model of the conversation, an FX-thread adapter over the {@link ModelHost}: asks questions about
 * pictures, streams answers into {@link ChatTurn}s, reads the picture of the next question ahead, queues
 * captions, stops, starts new chats and keeps them in the history ({@link OpenChat}).
 *
 * <p>Public methods and properties: FX thread. The model lives on the host's inference thread; history pictures
 * are written on the I/O executor.
 */
public final class ChatViewModel {
    /** Longest edge of the picture kept in the history for each question. */
    static final int HISTORY_IMAGE_EDGE = 640;
    static final double THUMBNAIL_WIDTH = 168;

    private final ModelHost host;
    private final Executor io;
    private final Executor ui;
    private final OpenChat chat;

    private final ObservableList<ChatTurn> turns = FXCollections.observableArrayList();
    /** One read-only view, kept: a wrapper made per call would be collected along with its listeners. */
    private final ObservableList<ChatTurn> readOnlyTurns = FXCollections.unmodifiableObservableList(turns);
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ModelInfo> model = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper modelError = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper loading = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<ChatTurn> lastFinished = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper modelWork = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper readAhead = new ReadOnlyStringWrapper("");

    private final CaptionQueue captions = new CaptionQueue();
    /** {@link #withModel} work queued or running on the inference thread. */
    private int pendingModelWork;
    /** The picture read ahead of the next question ({@link #prepare}), or null. */
    private PreparedPicture preparation;
    /** The question being answered and its turn, or null. */
    private AskedQuestion current;
    private ChatTurn currentTurn;

    /**
     * @param io runs history file I/O
     * @param ui runs UI updates ({@code Platform::runLater} in the app)
     */
    public ChatViewModel(ModelHost host, Executor io, Executor ui, ChatHistoryStore history) {
        this.host = host;
        this.io = io;
        this.ui = ui;
        this.chat = new OpenChat(history, io, ui, message -> notice.set(message));
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
        return captions.progressProperty();
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
        return chat.savedChatsProperty();
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

    /** "Loading smolvlm-256m-instruct · q4 …" while a model loads, else empty. */
    public ReadOnlyStringProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /**
     * Reads {@code image} ahead of a question about it: the vision encoder runs on the inference thread while
     * the person types, so that the answer to the first question about a frozen frame, an opened picture or
     * the live frame taken when typing began starts without waiting for the encoder. Skipped while an answer,
     * a queue or model work is under way; a question about another picture, Stop and New chat cancel it.
     */
    public void prepare(ImageRequest image) {
        if (image == null || busy.get() || !captions.isEmpty() || pendingModelWork > 0) {
            return;
        }
        cancelPreparation();
        PreparedPicture prepared = host.prepare(image, () -> ui.execute(() -> {
            if (preparation != null && preparation.subjectId().equals(image.subjectId())) {
                readAhead.set(image.subjectId());
            }
        }));
        preparation = prepared;
    }

    private void cancelPreparation() {
        if (preparation != null) {
            preparation.cancel();
        }
        preparation = null;
        readAhead.set("");
    }

    /**
     * Loads the model the settings choose, after closing the one loaded (questions asked meanwhile wait for it).
     * The open chat stays on screen; the next question starts a new conversation.
     */
    public void loadModel(Settings settings) {
        loading.set("Loading " + settings.modelId() + " · " + settings.precision() + " …");
        host.load(settings, new ModelHost.LoadListener() {
            @Override
            public void loaded(ModelInfo info) {
                ui.execute(() -> {
                    modelError.set(null);
                    model.set(info);
                    loading.set("");
                });
            }

            @Override
            public void failed(String message) {
                ui.execute(() -> {
                    model.set(null);
                    modelError.set(message);
                    loading.set("");
                });
            }
        });
    }

    /** Uses new settings for the next questions ({@link ModelHost#useSettings}). */
    public void useSettings(Settings settings) {
        host.useSettings(settings);
    }

    /** Reads the history and reopens the most recent chat. */
    public void restoreHistory() {
        chat.restore(saved -> {
            if (turns.isEmpty()) {
                open(saved);
            }
        });
    }

    /** Shows a stored chat; a new question about it starts a new conversation with the model. */
    public void open(SavedChat saved) {
        stop();
        turns.clear();
        chat.reopen(saved);
        saved.turns().forEach(turn -> turns.add(ChatTurn.restored(turn, chat.imagesFolder())));
        host.newConversation();
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
        captions.addAll(questions, !busy.get());
        if (!busy.get()) {
            startNextQueued();
        }
    }

    /**
     * Stops the answer being generated (within one decode step) and drops the rest of the queue. A question
     * still waiting for the inference thread (behind a library run, say) ends at once, as stopped.
     */
    public void stop() {
        cancelPreparation();
        captions.discardAll();
        if (current != null && current.stop()) {
            stoppedBeforeItStarted(currentTurn);
        }
    }

    /** Closes the open chat (it stays in the history) and starts an empty one. */
    public void newChat() {
        stop();
        turns.clear();
        chat.startNew();
        host.newConversation();
        notice.set("");
    }

    /** Shows a message for people in the chat pane. */
    public void showNotice(String message) {
        notice.set(message);
    }

    /** The open chat as stored, for export. */
    public SavedChat openChat() {
        return chat.saved();
    }

    /** Where the open chat's pictures are. */
    public Path imagesFolder() {
        return chat.imagesFolder();
    }

    /**
     * Runs {@code work} with the model the chat uses ({@link ModelHost#withModel}). Questions asked until it ends
     * say that they wait for it ({@link ChatTurn#waitingForProperty()}).
     *
     * @param purpose what the work is, for people ("the library run")
     * @param failed  receives, on the inference thread, what loading the model or the work threw
     */
    public void withModel(String purpose, ModelWork work, Consumer<Exception> failed) {
        pendingModelWork++;
        modelWork.set(purpose);
        host.withModel(work, failed, () -> ui.execute(() -> {
            if (--pendingModelWork == 0) {
                modelWork.set("");
            }
        }));
    }

    /** Stops the answer and frees the conversation and the model. */
    public void close() {
        stop();
        host.close();
    }

    private void startNextQueued() {
        QueuedQuestion next = captions.next();
        if (next != null) {
            start(next.question(), next.image());
        }
    }

    private void start(String question, ImageRequest image) {
        if (preparation != null && (image == null || !preparation.subjectId().equals(image.subjectId()))) {
            cancelPreparation();
        }
        ChatTurn turn = new ChatTurn(question);
        turn.waitFor(modelWork.get());
        turns.add(turn);
        busy.set(true);
        currentTurn = turn;
        current = host.ask(question, image, preparation,
                new TurnRelay(turn, image == null ? null : image.label(), ui, io, chat, ending));
    }

    /** How a turn's end reaches the chat. */
    private final TurnRelay.Ending ending = new TurnRelay.Ending() {
        @Override
        public void answered(ChatTurn turn, SavedTurn saved) {
            chat.remember(saved);
            lastFinished.set(turn);
            finished();
        }

        @Override
        public void ended(ChatTurn turn) {
            finished();
        }

        @Override
        public void stoppedBeforeStart(ChatTurn turn) {
            stoppedBeforeItStarted(turn);
        }

        @Override
        public void notice(String message) {
            notice.set(message);
        }
    };

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
        busy.set(false);
        startNextQueued();
    }
}
