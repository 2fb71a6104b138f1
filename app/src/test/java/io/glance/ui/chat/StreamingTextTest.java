package io.glance.ui.chat;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A streaming answer wraps at the chat pane's width, however long it grows, in short chunks. */
@Tag("window")
class StreamingTextTest {
    private static final double PANE_WIDTH = 400;

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void aLongAnswerStaysWithinThePaneWidthPulseAfterPulse() throws Exception {
        WaitForAsyncUtils.asyncFx(() -> {
            StreamingText answer = new StreamingText();
            answer.setPadding(new Insets(0, 4, 0, 4));
            ScrollPane pane = new ScrollPane(new VBox(answer));
            pane.setFitToWidth(true);
            new Scene(pane);
            pane.resize(PANE_WIDTH, 300);
            for (int update = 0; update < 60; update++) {
                answer.append("The red circle is left of the blue square. ");
                pane.applyCss();
                pane.layout();
            }
            assertTrue(answer.getWidth() > PANE_WIDTH / 2 && answer.getWidth() <= PANE_WIDTH,
                    "answer width " + answer.getWidth());
            for (Node chunk : answer.getChildren()) {
                assertTrue(chunk.getLayoutBounds().getWidth() <= answer.getWidth() - 8,
                        "chunk width " + chunk.getLayoutBounds().getWidth());
            }
            assertTrue(answer.chunks() >= 60 * 43 / StreamingText.CHUNK_CHARS, "chunks: " + answer.chunks());
        }).get();
    }
}
