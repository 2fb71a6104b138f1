package io.glance.ui.chat;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;

/**
 * One question with its picture, and the answer below it: plain text while it streams in (only its last
 * paragraph is laid out again per update), rendered as Markdown once it ends; then its timing line and a copy
 * button. Talks only to its {@link ChatTurn}. FX thread only.
 */
final class TurnView extends VBox {

    /** @param speak reads the answer aloud, or null when speech is not available */
    TurnView(ChatTurn turn, Consumer<String> speak) {
        getStyleClass().add("turn");
        setSpacing(6);

        ImageView thumbnail = new ImageView();
        thumbnail.imageProperty().bind(turn.thumbnailProperty());
        thumbnail.setPreserveRatio(true);
        thumbnail.setFitWidth(ChatViewModel.THUMBNAIL_WIDTH);
        thumbnail.managedProperty().bind(turn.thumbnailProperty().isNotNull());
        thumbnail.visibleProperty().bind(turn.thumbnailProperty().isNotNull());
        thumbnail.setAccessibleText("Picture the question was about");
        thumbnail.getStyleClass().add("turn-thumbnail");

        Label question = new Label(turn.question());
        question.setWrapText(true);
        question.getStyleClass().add("turn-question");
        question.setAccessibleText("Question: " + turn.question());
        VBox questionBox = new VBox(4, thumbnail, question);
        questionBox.getStyleClass().add("turn-question-box");
        questionBox.setAlignment(Pos.CENTER_RIGHT);
        HBox questionRow = new HBox(questionBox);
        questionRow.setAlignment(Pos.CENTER_RIGHT);

        MarkdownView answer = new MarkdownView();
        answer.getStyleClass().add("turn-answer");
        StreamingText streaming = new StreamingText();
        streaming.getStyleClass().add("turn-answer");
        streaming.setId("streamingAnswer");
        BooleanBinding inProgress = turn.stateProperty().isEqualTo(ChatTurn.State.WAITING)
                .or(turn.stateProperty().isEqualTo(ChatTurn.State.STREAMING));
        streaming.visibleProperty().bind(inProgress);
        streaming.managedProperty().bind(inProgress);
        answer.visibleProperty().bind(inProgress.not());
        answer.managedProperty().bind(inProgress.not());
        if (!inProgress.get()) {
            answer.setMarkdown(turn.answerProperty().get());
        }
        turn.onAnswerPiece(piece -> {
            if (inProgress.get()) {
                streaming.append(piece);
            }
        });
        turn.stateProperty().addListener((obs, old, state) -> {
            if (!inProgress.get()) {
                answer.setMarkdown(turn.answerProperty().get());
                streaming.clear();
            }
        });

        Label thinking = new Label();
        thinking.textProperty().bind(Bindings.when(turn.waitingForProperty().isEmpty()).then("Thinking…")
                .otherwise(Bindings.concat("Waiting for ", turn.waitingForProperty(), " to finish…")));
        thinking.getStyleClass().add("turn-thinking");
        thinking.visibleProperty().bind(turn.stateProperty().isEqualTo(ChatTurn.State.WAITING));
        thinking.managedProperty().bind(thinking.visibleProperty());

        Label details = new Label();
        details.textProperty().bind(turn.detailsProperty());
        details.getStyleClass().add("turn-details");
        details.setWrapText(true);

        Button copy = new Button("Copy");
        copy.getStyleClass().add("flat");
        copy.setTooltip(new Tooltip("Copy this answer"));
        copy.setAccessibleText("Copy answer to the clipboard");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(turn.answerProperty().get());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });
        copy.disableProperty().bind(turn.answerProperty().isEmpty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox footer = new HBox(8, details, spacer, copy);
        footer.setAlignment(Pos.CENTER_LEFT);
        if (speak != null) {
            Button read = new Button("Read aloud");
            read.getStyleClass().add("flat");
            read.setAccessibleText("Read this answer aloud");
            read.setOnAction(e -> speak.accept(turn.answerProperty().get()));
            read.disableProperty().bind(turn.answerProperty().isEmpty());
            footer.getChildren().add(read);
        }
        getChildren().addAll(questionRow, thinking, streaming, answer, footer);
    }
}
