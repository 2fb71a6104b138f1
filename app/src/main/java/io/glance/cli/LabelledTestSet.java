package io.glance.cli;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A labelled question set in the format of {@code model-assets/demo/README.md}: scenes (an image and
 * questions with expected answers, a question type and, for a follow-up, the turns before it), special
 * sanity scenes, and text-only questions.
 * Immutable once read; safe on any thread.
 *
 * @param scenes   ordinary held-out scenes
 * @param special  sanity scenes (colour-channel swap, mirror), may be empty
 * @param textOnly questions asked without an image, may be empty
 */
public record LabelledTestSet(List<Scene> scenes, List<Scene> special, List<Question> textOnly) {

    /** One image and what to ask about it; {@code special} names the sanity check, if any. */
    public record Scene(String image, int width, int height, List<Question> questions, String special) {
    }

    /**
     * A question, the exact expected answer, its type ({@code color}, {@code count}, …), and the earlier
     * turns of its conversation ({@code before}, oldest first, empty for a single-turn question): they are
     * asked first in the same chat, and only the last question is scored.
     */
    public record Question(String question, String answer, String type, List<Question> before) {
        public Question {
            before = before == null ? List.of() : List.copyOf(before);
        }

        /** A single-turn question. */
        public Question(String question, String answer, String type) {
            this(question, answer, type, List.of());
        }

        /** The questions of the conversation in the order they are asked, this one last. */
        public List<String> conversation() {
            List<String> all = new ArrayList<>();
            before.forEach(turn -> all.add(turn.question()));
            all.add(question);
            return all;
        }
    }

    private record FileFormat(List<Scene> scenes, List<Scene> special, List<Question> text_only) {
    }

    /**
     * Reads {@code testset.json}.
     *
     * @throws UsageException when the file is missing or not in the expected format
     */
    public static LabelledTestSet read(Path json) throws UsageException {
        try {
            FileFormat file = new Gson().fromJson(Files.readString(json), FileFormat.class);
            if (file == null || file.scenes() == null) {
                throw new UsageException(json + " has no 'scenes' list");
            }
            return new LabelledTestSet(List.copyOf(file.scenes()),
                    file.special() == null ? List.of() : List.copyOf(file.special()),
                    file.text_only() == null ? List.of() : List.copyOf(file.text_only()));
        } catch (IOException e) {
            throw new UsageException("cannot read " + json + ": " + e.getMessage());
        } catch (JsonParseException e) {
            throw new UsageException(json + " is not a test set: " + e.getMessage());
        }
    }

    /** The first {@code limit} ordinary scenes (all when {@code limit} is 0 or larger than the set). */
    public List<Scene> firstScenes(int limit) {
        return limit <= 0 || limit >= scenes.size() ? scenes : new ArrayList<>(scenes.subList(0, limit));
    }
}
