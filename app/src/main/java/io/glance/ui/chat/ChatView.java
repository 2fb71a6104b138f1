package io.glance.ui.chat;

import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;

/**
 * The chat pane: the turns of the open chat, notices and caption progress, and the question field with
 * Ask and Stop. Talks only to {@link ChatViewModel} and the question property it is given. FX thread only.
 */
public final class ChatView extends BorderPane {
    private final TextField questionField = new TextField();
    private final VBox turnsBox = new VBox(14);
    private final ScrollPane scroll = new ScrollPane(turnsBox);

    /**
     * @param question the text being typed
     * @param ask      asks the typed question about the picture shown
     * @param speak    reads an answer aloud, or null when speech is not available
     */
    public ChatView(ChatViewModel chat, StringProperty question, Runnable ask, Consumer<String> speak) {
        getStyleClass().add("chat-pane");

        Label title = new Label("Chat");
        title.getStyleClass().add("title-4");
        Button newChat = new Button("New chat");
        newChat.setId("newChatButton");
        newChat.setTooltip(new Tooltip("Start a new chat (Ctrl+N)"));
        newChat.setAccessibleText("New chat");
        newChat.setOnAction(e -> chat.newChat());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, title, spacer, newChat);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 12, 8, 12));
        header.getStyleClass().add("chat-header");
        setTop(header);

        turnsBox.setPadding(new Insets(12));
        turnsBox.setId("turns");
        scroll.setFitToWidth(true);
        scroll.setAccessibleText("Conversation");
        Label empty = new Label("Ask about what the camera sees, or drop images here to caption them.");
        empty.getStyleClass().add("chat-empty");
        empty.setWrapText(true);
        empty.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(chat.turns()));
        empty.managedProperty().bind(empty.visibleProperty());
        VBox center = new VBox(empty, scroll);
        VBox.setVgrow(scroll, Priority.ALWAYS);
        center.setPadding(new Insets(0));
        setCenter(center);

        chat.turns().forEach(turn -> turnsBox.getChildren().add(new TurnView(turn, speak)));
        chat.turns().addListener((ListChangeListener<ChatTurn>) change -> {
            turnsBox.getChildren().setAll(chat.turns().stream().map(turn -> new TurnView(turn, speak)).toList());
            scroll.layout();
            scroll.setVvalue(1.0);
        });
        turnsBox.heightProperty().addListener((obs, old, height) -> scroll.setVvalue(1.0));

        Label notice = new Label();
        notice.setId("notice");
        notice.textProperty().bind(chat.noticeProperty());
        notice.getStyleClass().add("chat-notice");
        notice.setWrapText(true);
        notice.visibleProperty().bind(chat.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        Label progress = new Label();
        progress.setId("queueProgress");
        progress.textProperty().bind(chat.queueProgressProperty());
        progress.visibleProperty().bind(chat.queueProgressProperty().isNotEmpty());
        progress.managedProperty().bind(progress.visibleProperty());

        questionField.setId("questionField");
        questionField.setPromptText("Ask about what you see… (Enter)");
        questionField.setAccessibleText("Question");
        questionField.textProperty().bindBidirectional(question);
        questionField.setOnAction(e -> ask.run());
        HBox.setHgrow(questionField, Priority.ALWAYS);

        Button askButton = new Button("Ask");
        askButton.setId("askButton");
        askButton.setDefaultButton(false);
        askButton.getStyleClass().add("accent");
        askButton.setTooltip(new Tooltip("Ask about the picture (Enter)"));
        askButton.setAccessibleText("Ask");
        askButton.disableProperty().bind(chat.busyProperty().or(question.isEmpty()));
        askButton.setOnAction(e -> ask.run());

        Button stop = new Button("Stop");
        stop.setId("stopButton");
        stop.getStyleClass().add("danger");
        stop.setTooltip(new Tooltip("Stop the answer and the caption queue (Esc)"));
        stop.setAccessibleText("Stop");
        stop.disableProperty().bind(chat.busyProperty().not());
        stop.setOnAction(e -> chat.stop());

        HBox askBar = new HBox(8, questionField, askButton, stop);
        askBar.setAlignment(Pos.CENTER_LEFT);
        VBox bottom = new VBox(6, notice, progress, askBar);
        bottom.setPadding(new Insets(8, 12, 12, 12));
        bottom.getStyleClass().add("ask-bar");
        setBottom(bottom);
    }

    /** Puts the keyboard focus in the question field. */
    public void focusQuestion() {
        questionField.requestFocus();
    }
}
