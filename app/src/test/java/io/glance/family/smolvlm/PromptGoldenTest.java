package io.glance.family.smolvlm;

import io.glance.TestModels;
import io.glance.model.ModelFolder;
import io.glance.prompt.ChatMessage;
import io.glance.prompt.PromptPiece;
import io.glance.prompt.RenderedPrompt;
import io.glance.prompt.TextTokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Golden prompts with the real SmolVLM-256M tokenizer and configs (figures from the reference run). */
class PromptGoldenTest {
    private static final int IMAGE = 49190;
    private static final int FAKE = 49189;
    private static final int GLOBAL = 49152;
    private static TextTokenizer tokenizer;
    private static ModelFolder folder;

    @BeforeAll
    static void load() throws Exception {
        folder = ModelFolder.open(TestModels.referenceConfigs());
        tokenizer = TextTokenizer.load(folder.tokenizerFile());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    private int[] describePrompt(int width, int height, boolean split) throws Exception {
        ImagePreprocessor preprocessor = new ImagePreprocessor(SmolVlmImageSettings.read(folder).withOverrides(split, null));
        TileLayout layout = preprocessor.layoutFor(width, height);
        RenderedPrompt rendered = new ChatTemplate().render(List.of(ChatMessage.user(1, "Can you describe this image?")), true);
        return tokenizer.encode(new ImageTokenExpander().expand(rendered, List.of(layout)));
    }

    @Test
    void rendersTheSingleTurnTemplateLikeTheReference() {
        RenderedPrompt rendered = new ChatTemplate().render(List.of(ChatMessage.user(1, "Can you describe this image?")), true);
        assertEquals("<|im_start|>User:<image>Can you describe this image?<end_of_utterance>\nAssistant:", rendered.toString());
    }

    @Test
    void rendersSystemAndMultiTurnWithSpaceAfterTextFirstTurns() {
        RenderedPrompt rendered = new ChatTemplate().render(List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user(1, "What is it?"),
                ChatMessage.assistant("A cat."),
                ChatMessage.user(0, "What color?")), true);
        assertEquals("<|im_start|>System: Be brief.<end_of_utterance>\nUser:<image>What is it?<end_of_utterance>\n"
                + "Assistant: A cat.<end_of_utterance>\nUser: What color?<end_of_utterance>\nAssistant:", rendered.toString());
    }

    @Test
    void landscape640x480Gives876IdsIn3RowsOf4Tiles() throws Exception {
        int[] ids = describePrompt(640, 480, true);
        assertEquals(876, ids.length);
        assertEquals(13 * 64, count(ids, IMAGE));
        assertEquals(1, ids[0], "<|im_start|> first, no BOS added");
        assertEquals(FAKE, ids[indexOf(ids, FAKE)]);
        assertEquals(49153, ids[indexOf(ids, FAKE) + 1], "first tile is <row_1_col_1>");
        int lastTileMarker = lastIndexOfRange(ids, 49153, 49188);
        assertEquals(49153 + 6 * 2 + 3, ids[lastTileMarker], "last tile is <row_3_col_4>");
        int global = indexOf(ids, GLOBAL);
        assertEquals(1116, ids[global - 2], "the last row's newline and the global image's newline merge");
        assertEquals(FAKE, ids[global - 1]);
        assertEquals(FAKE, ids[global + 65]);
    }

    @Test
    void square512Gives1141Ids() throws Exception {
        int[] ids = describePrompt(512, 512, true);
        assertEquals(1141, ids.length);
        assertEquals(17 * 64, count(ids, IMAGE));
    }

    @Test
    void splittingOffGives81IdsWithTheGlobalImageOnly() throws Exception {
        int[] ids = describePrompt(640, 480, false);
        assertEquals(81, ids.length);
        int global = indexOf(ids, GLOBAL);
        assertEquals(FAKE, ids[global - 1]);
        assertEquals(64, count(ids, IMAGE));
        assertEquals(FAKE, ids[global + 65]);
    }

    @Test
    void expanderRejectsAnImageCountMismatch() {
        ImageTokenExpander expander = new ImageTokenExpander();
        RenderedPrompt twoSlots = new RenderedPrompt.Builder().imageSlot().imageSlot().build();
        RenderedPrompt noSlot = new RenderedPrompt.Builder().text("no image").build();
        assertThrows(IllegalArgumentException.class, () -> expander.expand(twoSlots, List.of(new TileLayout(0, 0, 64))));
        assertThrows(IllegalArgumentException.class, () -> expander.expand(noSlot, List.of(new TileLayout(0, 0, 64))));
    }

    @Test
    void anUnexpandedImageSlotIsNotTokenized() {
        RenderedPrompt slot = new ChatTemplate().render(List.of(ChatMessage.user(1, "What is it?")), true);
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(slot));
    }

    @Test
    void markersEncodeToTheirSpecialIds() {
        assertEquals(49279, tokenizer.tokenId("<end_of_utterance>"));
        assertEquals(IMAGE, tokenizer.tokenId("<image>"));
        assertArrayEquals(new int[] {1, 49153 + 6 * 2 + 3, IMAGE, IMAGE, IMAGE},
                tokenizer.encode(new RenderedPrompt.Builder().marker("<|im_start|>").marker("<row_3_col_4>")
                        .marker("<image>", 3).build()));
    }

    private static int count(int[] ids, int id) {
        int n = 0;
        for (int v : ids) {
            n += v == id ? 1 : 0;
        }
        return n;
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new AssertionError("id " + id + " not found");
    }

    private static int lastIndexOfRange(int[] ids, int from, int to) {
        for (int i = ids.length - 1; i >= 0; i--) {
            if (ids[i] >= from && ids[i] <= to) {
                return i;
            }
        }
        throw new AssertionError("no id in range");
    }
}
