package io.glance.ui.chat;

import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * An answer while it streams in, as plain text: finished paragraphs are frozen in their own text flows and
 * only the last paragraph changes, so each update lays out one paragraph instead of the whole answer. The
 * Markdown is rendered once, by {@link MarkdownView}, when the answer ends. FX thread only.
 */
final class StreamingText extends VBox {
    private final StringBuilder paragraph = new StringBuilder();
    private Text live;

    StreamingText() {
        setSpacing(6);
        getStyleClass().add("markdown");
        startParagraph();
    }

    /** Adds a piece of the answer; a blank line starts a new paragraph. */
    void append(String piece) {
        paragraph.append(piece);
        int breakAt;
        while ((breakAt = paragraph.indexOf("\n\n")) >= 0) {
            live.setText(paragraph.substring(0, breakAt).strip());
            int next = breakAt;
            while (next < paragraph.length() && paragraph.charAt(next) == '\n') {
                next++;
            }
            paragraph.delete(0, next);
            startParagraph();
        }
        live.setText(paragraph.toString());
    }

    /** Empties the view (the answer is shown as Markdown now). */
    void clear() {
        getChildren().clear();
        paragraph.setLength(0);
        startParagraph();
    }

    private void startParagraph() {
        live = new Text();
        live.getStyleClass().add("markdown-text");
        getChildren().add(new TextFlow(live));
    }
}
