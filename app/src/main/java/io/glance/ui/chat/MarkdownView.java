package io.glance.ui.chat;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.parser.Parser;

/**
 * Shows Markdown (paragraphs, headings, emphasis, inline and block code, lists) as text flows. A finished
 * answer is rendered once; while it streams, {@link StreamingText} shows it. A paragraph longer than {@link
 * #LONG_PARAGRAPH_CHARS} is shown as {@link StreamingText}'s short chunks, without its inline styles: a text flow
 * lays all of its text out again on every layout pass, which took the FX thread over a minute for a 10 000-character
 * answer of rare scripts. FX thread only.
 */
final class MarkdownView extends VBox {
    /** The longest paragraph shown as a text flow. */
    static final int LONG_PARAGRAPH_CHARS = 2000;
    private static final Parser PARSER = Parser.builder().build();

    MarkdownView() {
        setSpacing(6);
        getStyleClass().add("markdown");
    }

    /** Replaces the content with {@code markdown} rendered. */
    void setMarkdown(String markdown) {
        getChildren().clear();
        Node document = PARSER.parse(markdown == null ? "" : markdown);
        for (Node block = document.getFirstChild(); block != null; block = block.getNext()) {
            addBlock(block, "");
        }
        setAccessibleText(markdown);
    }

    private void addBlock(Node block, String indent) {
        if (block instanceof FencedCodeBlock fenced) {
            getChildren().add(codeBlock(fenced.getLiteral()));
        } else if (block instanceof IndentedCodeBlock indented) {
            getChildren().add(codeBlock(indented.getLiteral()));
        } else if (block instanceof BulletList || block instanceof OrderedList) {
            int number = block instanceof OrderedList ordered && ordered.getMarkerStartNumber() != null
                    ? ordered.getMarkerStartNumber() : 1;
            for (Node item = block.getFirstChild(); item != null; item = item.getNext()) {
                String marker = block instanceof OrderedList ? (number++) + ". " : "•  ";
                for (Node child = item.getFirstChild(); child != null; child = child.getNext()) {
                    if (child instanceof Paragraph paragraph) {
                        TextFlow flow = inline(paragraph);
                        flow.getChildren().add(0, new Text(indent + marker));
                        getChildren().add(flow);
                        marker = "    ";
                    } else {
                        addBlock(child, indent + "    ");
                    }
                }
            }
        } else if (block instanceof Heading heading) {
            TextFlow flow = inline(heading);
            flow.getStyleClass().add("markdown-heading");
            flow.getChildren().forEach(n -> n.getStyleClass().add("markdown-strong"));
            getChildren().add(flow);
        } else if (!(block instanceof ListItem)) {
            getChildren().add(chunkedWhenLong(inline(block)));
        }
    }

    /** {@code flow}, or its text in {@link StreamingText}'s chunks when it is longer than {@link #LONG_PARAGRAPH_CHARS}. */
    private static javafx.scene.Node chunkedWhenLong(TextFlow flow) {
        StringBuilder text = new StringBuilder();
        for (javafx.scene.Node child : flow.getChildren()) {
            text.append(((Text) child).getText());
        }
        if (text.length() <= LONG_PARAGRAPH_CHARS) {
            return flow;
        }
        // appended as a stream arrives, in pieces much shorter than a chunk, so each chunk ends where it would
        StreamingText chunks = new StreamingText();
        int from = 0;
        while (from < text.length()) {
            int to = Math.min(text.length(), from + StreamingText.CHUNK_CHARS / 4);
            if (Character.isHighSurrogate(text.charAt(to - 1)) && to < text.length()) {
                to++;  // a character outside the basic plane stays whole
            }
            chunks.append(text.substring(from, to));
            from = to;
        }
        return chunks;
    }

    private static Label codeBlock(String literal) {
        Label code = new Label(literal.stripTrailing());
        code.getStyleClass().add("markdown-code-block");
        code.setWrapText(true);
        code.setMaxWidth(Double.MAX_VALUE);
        return code;
    }

    /** The inline content of one block as a text flow. */
    private static TextFlow inline(Node block) {
        TextFlow flow = new TextFlow();
        block.accept(new AbstractVisitor() {
            private boolean strong;
            private boolean emphasis;

            @Override
            public void visit(org.commonmark.node.Text text) {
                add(text.getLiteral(), null);
            }

            @Override
            public void visit(Code code) {
                add(code.getLiteral(), "markdown-code");
            }

            @Override
            public void visit(StrongEmphasis node) {
                strong = true;
                visitChildren(node);
                strong = false;
            }

            @Override
            public void visit(Emphasis node) {
                emphasis = true;
                visitChildren(node);
                emphasis = false;
            }

            @Override
            public void visit(SoftLineBreak node) {
                add(" ", null);
            }

            @Override
            public void visit(HardLineBreak node) {
                add("\n", null);
            }

            private void add(String literal, String styleClass) {
                Text text = new Text(literal);
                text.getStyleClass().add("markdown-text");
                if (strong) {
                    text.getStyleClass().add("markdown-strong");
                }
                if (emphasis) {
                    text.getStyleClass().add("markdown-emphasis");
                }
                if (styleClass != null) {
                    text.getStyleClass().add(styleClass);
                }
                flow.getChildren().add(text);
            }
        });
        return flow;
    }
}
