package io.glance.embedding;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A labelled test set for image–text models ({@code clipset.json} beside its pictures, written by
 * model-assets/demo-clip/heldout.py): pictures with the coloured shapes each holds, some for retrieval and some with
 * one object for zero-shot labels. Immutable; safe on any thread.
 *
 * @param folder the folder of the pictures
 * @param colors the colour labels
 * @param shapes the shape labels
 * @param scenes the pictures
 */
public record HeldOutScenes(Path folder, List<String> colors, List<String> shapes, List<Scene> scenes) {
    /** The {@code format} of the document. */
    public static final String FORMAT = "glance-clip-testset";

    /** One coloured shape. */
    public record Thing(String color, String shape) {
        /** {@code a red circle}, {@code an orange square}. */
        public String phrase() {
            return ("aeiou".indexOf(color.charAt(0)) >= 0 ? "an " : "a ") + color + " " + shape;
        }
    }

    /**
     * One picture.
     *
     * @param image   file name in the folder
     * @param kind    {@code scenes} (retrieval) or {@code single} (one object, zero-shot)
     * @param objects its objects from left to right
     */
    public record Scene(String image, String kind, List<Thing> objects) {
        /** The description a person would search with: {@code a red circle, a green square and a blue triangle}. */
        public String description() {
            List<String> phrases = objects.stream().map(Thing::phrase).toList();
            if (phrases.size() == 1) {
                return phrases.get(0);
            }
            return String.join(", ", phrases.subList(0, phrases.size() - 1)) + " and " + phrases.get(phrases.size() - 1);
        }

        /** Whether it holds every thing of {@code wanted}. */
        public boolean holds(Set<Thing> wanted) {
            return Set.copyOf(objects).containsAll(wanted);
        }
    }

    private record Document(String format, int version, List<String> colors, List<String> shapes, List<Scene> scenes) {
    }

    /**
     * Reads a {@code clipset.json}.
     *
     * @throws IOException when it cannot be read or is not such a test set
     */
    public static HeldOutScenes read(Path file) throws IOException {
        Document document;
        try {
            document = new Gson().fromJson(Files.readString(file), Document.class);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not valid JSON: " + e.getMessage(), e);
        }
        if (document == null || !FORMAT.equals(document.format()) || document.scenes() == null) {
            throw new IOException(file + " is not a " + FORMAT + " document (model-assets/demo-clip/heldout.py writes them)");
        }
        return new HeldOutScenes(file.toAbsolutePath().getParent(), document.colors(), document.shapes(),
                document.scenes());
    }

    /** The pictures of one kind. */
    public List<Scene> ofKind(String kind) {
        return scenes.stream().filter(scene -> scene.kind().equals(kind)).collect(Collectors.toList());
    }
}
