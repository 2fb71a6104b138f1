package io.glance.cli;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationException;
import io.glance.generation.GenerationOptions;
import io.glance.generation.ImageDetail;
import io.glance.onnx.LoadedModel;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Asks every question of a {@link LabelledTestSet} through the engine, each in a fresh chat (a follow-up
 * after its earlier turns, as a person would ask it), and counts exact-match answers of the last turn per
 * question type. Confined to the calling thread.
 */
public final class AccuracyEvaluator {
    private static final GenerationOptions OPTIONS = GenerationOptions.greedy(40);

    private final LoadedModel model;
    private final ImageDecoder decoder = new ImageDecoder();

    public AccuracyEvaluator(LoadedModel model) {
        this.model = model;
    }

    /** Correct and total answers of one question type. */
    public record Score(int correct, int total) {
        public double accuracy() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }

    /** A wrong answer, for the report; {@code question} lists a follow-up's earlier questions first. */
    public record Miss(String image, String question, String expected, String actual) {
    }

    /** Scores by question type (sorted by name) and the misses. */
    public record Report(Map<String, Score> byType, List<Miss> misses) {
    }

    /**
     * Evaluates scenes whose image files live in {@code imageDir}; text-only questions are asked without an
     * image.
     *
     * @throws ImageLoadException when a test image cannot be read
     */
    public Report evaluate(Path imageDir, List<LabelledTestSet.Scene> scenes, List<LabelledTestSet.Question> textOnly)
            throws ImageLoadException, GenerationException {
        Map<String, int[]> counts = new TreeMap<>();
        List<Miss> misses = new ArrayList<>();
        try (ChatSession chat = model.newChat(ImageDetail.MODEL_DEFAULT, null)) {
            for (LabelledTestSet.Scene scene : scenes) {
                try (DecodedImage image = decoder.decode(imageDir.resolve(scene.image()))) {
                    for (LabelledTestSet.Question q : scene.questions()) {
                        record(counts, misses, scene.image(), q, answer(chat, q, List.of(image)));
                    }
                }
            }
            for (LabelledTestSet.Question q : textOnly) {
                record(counts, misses, "(no image)", q, answer(chat, q, List.of()));
            }
        }
        Map<String, Score> scores = new TreeMap<>();
        counts.forEach((type, c) -> scores.put(type, new Score(c[0], c[1])));
        return new Report(scores, misses);
    }

    /** The answer to one single-turn question. */
    public String ask(ChatSession chat, String question, List<DecodedImage> images) throws GenerationException {
        return answer(chat, new LabelledTestSet.Question(question, null, null), images);
    }

    /**
     * The answer to {@code q} in a fresh chat: its earlier turns are asked first (the images go with the first
     * turn, and the model's own answers stay in the conversation), {@code q} last.
     */
    public String answer(ChatSession chat, LabelledTestSet.Question q, List<DecodedImage> images)
            throws GenerationException {
        chat.reset();
        List<DecodedImage> attached = images;
        String answer = "";
        for (String question : q.conversation()) {
            answer = chat.ask(question, attached, OPTIONS, piece -> { }, new Cancellation()).text();
            attached = List.of();
        }
        return answer;
    }

    private static void record(Map<String, int[]> counts, List<Miss> misses, String image,
                               LabelledTestSet.Question q, String answer) {
        int[] c = counts.computeIfAbsent(q.type(), t -> new int[2]);
        c[1]++;
        if (answer.equals(q.answer())) {
            c[0]++;
        } else {
            misses.add(new Miss(image, String.join(" -> ", q.conversation()), q.answer(), answer));
        }
    }
}
