package io.glance.ui.chat;

import io.glance.ui.history.SavedTurn;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.scene.image.Image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * View model of one question and its answer in the chat pane. Read-only to views; {@link ChatViewModel}
 * changes it on the FX thread only.
 */
public final class ChatTurn {
    /** Where the answer is. */
    public enum State { WAITING, STREAMING, DONE, STOPPED, FAILED }

    private final String question;
    private final ReadOnlyObjectWrapper<Image> thumbnail = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper imageLabel = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper answer = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper details = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(State.WAITING);
    private final ReadOnlyStringWrapper waitingFor = new ReadOnlyStringWrapper("");
    private final ReadOnlyIntegerWrapper reusedTokens = new ReadOnlyIntegerWrapper();
    private final ReadOnlyIntegerWrapper uiUpdates = new ReadOnlyIntegerWrapper();
    private final StringBuilder streamed = new StringBuilder();
    private final List<Consumer<String>> pieceListeners = new ArrayList<>();
    private String imageFile;

    ChatTurn(String question) {
        this.question = question;
    }

    /** A finished turn of a stored chat, its picture (if any) loaded in the background from {@code imagesFolder}. */
    static ChatTurn restored(SavedTurn saved, Path imagesFolder) {
        ChatTurn turn = new ChatTurn(saved.question());
        if (saved.imageFile() != null) {
            Path file = imagesFolder.resolve(saved.imageFile());
            turn.showImage(new Image(file.toUri().toString(), ChatViewModel.THUMBNAIL_WIDTH, 0, true, true, true),
                    null, saved.imageFile());
        }
        turn.finish(State.DONE, saved.answer(), saved.details() == null ? "" : saved.details(), 0, 0);
        return turn;
    }

    public String question() {
        return question;
    }

    /** A small picture of the image the question was about; null for follow-ups and text-only questions. */
    public ReadOnlyObjectProperty<Image> thumbnailProperty() {
        return thumbnail.getReadOnlyProperty();
    }

    /** What the picture was ("camera", a file name, …), or null. */
    public ReadOnlyStringProperty imageLabelProperty() {
        return imageLabel.getReadOnlyProperty();
    }

    /** The answer so far (Markdown), growing while it streams. */
    public ReadOnlyStringProperty answerProperty() {
        return answer.getReadOnlyProperty();
    }

    /**
     * Calls {@code listener} with each piece of answer text as it streams in, in order (the pieces joined are
     * {@link #answerProperty()} while streaming). FX thread.
     */
    public void onAnswerPiece(Consumer<String> listener) {
        pieceListeners.add(listener);
    }

    /** Time to first token, tokens/s and device once finished, or an error message. */
    public ReadOnlyStringProperty detailsProperty() {
        return details.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<State> stateProperty() {
        return state.getReadOnlyProperty();
    }

    /**
     * While {@link State#WAITING}: the work the model must finish before this question's turn ("the library
     * run"), or empty when the question is already being worked on.
     */
    public ReadOnlyStringProperty waitingForProperty() {
        return waitingFor.getReadOnlyProperty();
    }

    /** Prompt tokens served from the conversation's cache (greater than 0 for a follow-up). */
    public ReadOnlyIntegerProperty reusedTokensProperty() {
        return reusedTokens.getReadOnlyProperty();
    }

    /** How many coalesced UI updates the streamed answer took. */
    public ReadOnlyIntegerProperty uiUpdatesProperty() {
        return uiUpdates.getReadOnlyProperty();
    }

    /** The picture's file name in the history image folder, or null. */
    public String imageFile() {
        return imageFile;
    }

    void showImage(Image image, String label, String file) {
        thumbnail.set(image);
        imageLabel.set(label);
        imageFile = file;
    }

    void waitFor(String work) {
        waitingFor.set(work);
    }

    void appendAnswer(String text) {
        if (state.get() == State.WAITING) {
            state.set(State.STREAMING);
        }
        streamed.append(text);
        answer.set(streamed.toString());
        pieceListeners.forEach(listener -> listener.accept(text));
    }

    void finish(State finalState, String finalAnswer, String finalDetails, int reused, int updates) {
        answer.set(finalAnswer);
        details.set(finalDetails);
        reusedTokens.set(reused);
        uiUpdates.set(updates);
        state.set(finalState);
    }

    void fail(String message) {
        details.set(message);
        state.set(State.FAILED);
    }
}
