package io.glance.ui.chat;

import io.glance.generation.FinishReason;
import io.glance.generation.GenerationResult;
import io.glance.session.Answer;
import io.glance.session.AnswerListener;
import io.glance.ui.history.OpenChat;
import io.glance.ui.history.SavedTurn;
import io.glance.vision.DecodedImage;
import javafx.scene.image.Image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Carries one question's events from the inference thread to its {@link ChatTurn} on the FX thread: answer text
 * coalesced ({@link AnswerStream}), the picture into the history (scaled on the inference thread, written on the
 * I/O executor), and the end of the turn. Called by the host on the inference thread; the callbacks it was made
 * with run on the FX thread.
 */
final class TurnRelay implements AnswerListener {
    /** What the chat does when the turn ends; FX thread. */
    interface Ending {
        /** The answer is in the turn; {@code saved} is the turn as the history keeps it. */
        void answered(ChatTurn turn, SavedTurn saved);

        /** The turn failed or was stopped before it began, and shows so. */
        void ended(ChatTurn turn);

        /** The question was stopped before the model started on it; the turn is still as it was asked. */
        void stoppedBeforeStart(ChatTurn turn);

        /** A message for people. */
        void notice(String message);
    }

    private final ChatTurn turn;
    private final String imageLabel;
    private final Executor ui;
    private final Executor io;
    private final OpenChat chat;
    private final Ending ending;
    private final AnswerStream stream;
    /** The history picture's file name; inference thread. */
    private String imageFile;

    /** @param imageLabel what the picture is, for people, or null when the question brings none */
    TurnRelay(ChatTurn turn, String imageLabel, Executor ui, Executor io, OpenChat chat, Ending ending) {
        this.turn = turn;
        this.imageLabel = imageLabel;
        this.ui = ui;
        this.io = io;
        this.chat = chat;
        this.ending = ending;
        this.stream = new AnswerStream(ui, turn::appendAnswer);
    }

    @Override
    public void started() {
        ui.execute(() -> turn.waitFor(""));
    }

    @Override
    public void picture(DecodedImage picture) {
        String file = UUID.randomUUID() + ".jpg";
        imageFile = file;
        DecodedImage small = picture.scaledCopy(ChatViewModel.HISTORY_IMAGE_EDGE);
        io.execute(() -> {
            try (small) {
                Path written = chat.writePicture(file, small);
                Image thumbnail = new Image(written.toUri().toString(), ChatViewModel.THUMBNAIL_WIDTH, 0, true, true);
                ui.execute(() -> turn.showImage(thumbnail, imageLabel, file));
            } catch (IOException e) {
                ui.execute(() -> ending.notice("Could not save the picture in the history: " + e.getMessage()));
            }
        });
    }

    @Override
    public void text(String piece) {
        stream.append(piece);
    }

    @Override
    public void answered(Answer answer) {
        GenerationResult result = answer.result();
        String details = AnswerDetails.describe(answer);
        String file = imageFile;
        stream.finish(() -> {
            ChatTurn.State state = result.finishReason() == FinishReason.CANCELLED
                    ? ChatTurn.State.STOPPED : ChatTurn.State.DONE;
            turn.finish(state, result.text(), details, result.reusedTokens(), stream.uiUpdates());
            ending.answered(turn, new SavedTurn(turn.question(), result.text(), file, details));
        });
    }

    @Override
    public void failed(String message) {
        stream.finish(() -> {
            turn.fail("Failed: " + message);
            ending.ended(turn);
        });
    }

    @Override
    public void stoppedBeforeStart() {
        stream.finish(() -> ending.stoppedBeforeStart(turn));
    }
}
