package io.glance.ui.chat;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.DoubleBinding;
import javafx.geometry.Insets;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;

/**
 * An answer while it streams in, as plain text in short chunks: a chunk is frozen in its own {@link Text} at a
 * paragraph break, or at a sentence or word end once it is longer than {@link #CHUNK_CHARS}, and only the last
 * chunk changes. Each chunk wraps at this view's width (its own wrapping width, so a frozen chunk keeps its
 * cached layout; a text flow would lay its text out again on every pass), so an update lays out a few hundred
 * characters however long the answer grows. The Markdown is rendered once, by {@link MarkdownView}, when the
 * answer ends. FX thread only.
 */
final class StreamingText extends VBox {
    /** A chunk longer than this is frozen at its last sentence or word end. */
    static final int CHUNK_CHARS = 240;

    private static final Insets PARAGRAPH_GAP = new Insets(6, 0, 0, 0);

    private final StringBuilder tail = new StringBuilder();
    /** The width inside the padding, where every chunk wraps. */
    private final DoubleBinding contentWidth = Bindings.createDoubleBinding(
            () -> getWidth() - getInsets().getLeft() - getInsets().getRight(), widthProperty(), insetsProperty());
    private Text live;

    StreamingText() {
        getStyleClass().add("markdown");
        startChunk(false);
    }

    /** Adds a piece of the answer; a blank line starts a new paragraph. */
    void append(String piece) {
        tail.append(piece);
        while (true) {
            int paragraphEnd = tail.indexOf("\n\n");
            if (paragraphEnd >= 0) {
                int next = paragraphEnd;
                while (next < tail.length() && tail.charAt(next) == '\n') {
                    next++;
                }
                freeze(paragraphEnd, next, true);
            } else if (tail.length() > CHUNK_CHARS) {
                int cut = chunkEnd();
                freeze(cut, cut, false);
            } else {
                break;
            }
        }
        live.setText(tail.toString());
    }

    /**
     * Its width comes from the chat pane, never from its text: the chunks wrap inside the width given. (Taken
     * from the chunks, a first layout before the width was known kept it as wide as the longest unwrapped line,
     * past the pane's edge.)
     */
    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        return computeMinWidth(height);
    }

    /** How many frozen and live chunks there are (for tests). */
    int chunks() {
        return getChildren().size();
    }

    /** Empties the view (the answer is shown as Markdown now). */
    void clear() {
        getChildren().clear();
        tail.setLength(0);
        startChunk(false);
    }

    /** Where the tail's first chunk ends: after its last sentence end, else its last space, else anywhere. */
    private int chunkEnd() {
        int sentence = -1;
        int word = -1;
        for (int i = tail.length() - 1; i >= CHUNK_CHARS / 2 && sentence < 0; i--) {
            char c = tail.charAt(i);
            if (c == '\n' || (Character.isWhitespace(c) && ".!?".indexOf(tail.charAt(i - 1)) >= 0)) {
                sentence = i + 1;
            } else if (word < 0 && c == ' ') {
                word = i + 1;
            }
        }
        return sentence > 0 ? sentence : word > 0 ? word : tail.length();
    }

    private void freeze(int end, int next, boolean paragraphEnds) {
        live.setText(tail.substring(0, end).stripTrailing());
        tail.delete(0, next);
        startChunk(paragraphEnds);
    }

    private void startChunk(boolean newParagraph) {
        live = new Text();
        live.getStyleClass().add("markdown-text");
        live.wrappingWidthProperty().bind(contentWidth);
        if (newParagraph) {
            VBox.setMargin(live, PARAGRAPH_GAP);
        }
        getChildren().add(live);
    }
}
