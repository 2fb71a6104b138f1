package io.glance.ui.chat;

import javafx.scene.text.TextFlow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A finished answer's paragraphs: short ones as styled text flows, very long ones in short plain chunks. */
@Tag("window")
class MarkdownViewTest {
    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void aShortParagraphIsATextFlowAndAVeryLongOneComesInChunks() throws Exception {
        String sentence = "The red circle is left of the *blue* square. ";
        String longParagraph = sentence.repeat(MarkdownView.LONG_PARAGRAPH_CHARS / sentence.length() + 20);
        WaitForAsyncUtils.asyncFx(() -> {
            MarkdownView view = new MarkdownView();
            view.setMarkdown(sentence + "\n\n" + longParagraph);
            assertEquals(2, view.getChildren().size());
            TextFlow first = assertInstanceOf(TextFlow.class, view.getChildren().get(0));
            assertTrue(first.getChildren().stream().anyMatch(text -> text.getStyleClass().contains("markdown-emphasis")),
                    "inline styles kept in a short paragraph");
            StreamingText second = assertInstanceOf(StreamingText.class, view.getChildren().get(1));
            int plainLength = longParagraph.replace("*", "").strip().length();
            assertTrue(second.chunks() >= plainLength / StreamingText.CHUNK_CHARS, "chunks: " + second.chunks());
        }).get();
    }
}
