package io.glance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading test sets with follow-up questions ({@code before}) and without. */
class LabelledTestSetTest {
    @TempDir
    Path temp;

    @Test
    void aFollowUpListsItsEarlierQuestionsFirstAndASingleTurnQuestionOnlyItself() throws Exception {
        Path json = Files.writeString(temp.resolve("testset.json"), """
                {"scenes": [{"image": "a.png", "width": 320, "height": 240, "questions": [
                  {"question": "What color is the circle?", "answer": "Red.", "type": "color",
                   "before": [{"question": "Describe the image.", "answer": "A red circle."},
                              {"question": "How many shapes are there?", "answer": "One."}]},
                  {"question": "Is there a circle?", "answer": "Yes.", "type": "exists_shape"}]}],
                 "text_only": [{"question": "hi", "answer": "Hello!", "type": "greeting"}]}
                """);
        LabelledTestSet set = LabelledTestSet.read(json);

        List<LabelledTestSet.Question> questions = set.scenes().get(0).questions();
        assertEquals(List.of("Describe the image.", "How many shapes are there?", "What color is the circle?"),
                questions.get(0).conversation());
        assertEquals(List.of("Is there a circle?"), questions.get(1).conversation());
        assertTrue(questions.get(1).before().isEmpty());
        assertTrue(set.special().isEmpty());
        assertEquals("greeting", set.textOnly().get(0).type());
    }

    @Test
    void aFileWithoutScenesIsRefusedWithItsName() throws Exception {
        Path json = Files.writeString(temp.resolve("other.json"), "{\"items\": []}");
        UsageException e = assertThrows(UsageException.class, () -> LabelledTestSet.read(json));
        assertTrue(e.getMessage().contains("other.json") && e.getMessage().contains("scenes"), e.getMessage());
    }
}
