package io.glance.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model folder in the published SmolVLM / Idefics3 ONNX layout, with every dimension and special
 * token read from its config files (none is assumed). Opening checks that the config files exist and
 * agree with each other; {@link #graphFiles} checks the graphs of one precision set. Immutable once
 * opened; safe on any thread.
 */
public final class ModelFolder {
    /** Config files every published folder has. */
    public static final List<String> CONFIG_FILES = List.of(
            "config.json", "generation_config.json", "preprocessor_config.json", "processor_config.json",
            "tokenizer.json");

    private final Path root;
    private final TextModelShape textShape;
    private final ImageProcessing imageProcessing;
    private final int imageTokenId;
    private final Set<Integer> stopTokenIds;
    private final String modelType;

    private ModelFolder(Path root, TextModelShape textShape, ImageProcessing imageProcessing, int imageTokenId,
                        Set<Integer> stopTokenIds, String modelType) {
        this.root = root;
        this.textShape = textShape;
        this.imageProcessing = imageProcessing;
        this.imageTokenId = imageTokenId;
        this.stopTokenIds = stopTokenIds;
        this.modelType = modelType;
    }

    /**
     * Reads and cross-checks the config files of {@code root}.
     *
     * @throws InvalidModelException naming the missing file, key or disagreement
     */
    public static ModelFolder open(Path root) throws InvalidModelException {
        if (!Files.isDirectory(root)) {
            throw new InvalidModelException("model folder " + root + " does not exist or is not a folder");
        }
        List<String> missing = new ArrayList<>();
        for (String name : CONFIG_FILES) {
            if (!Files.isRegularFile(root.resolve(name))) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidModelException("model folder " + root + " is missing " + String.join(", ", missing)
                    + " (a published SmolVLM folder has " + String.join(", ", CONFIG_FILES) + " and onnx/)");
        }
        JsonObject config = readJson(root, "config.json");
        JsonObject text = object(config, "text_config", "config.json");
        JsonObject vision = object(config, "vision_config", "config.json");
        JsonObject generation = readJson(root, "generation_config.json");
        JsonObject preprocessor = readJson(root, "preprocessor_config.json");
        JsonObject processor = readJson(root, "processor_config.json");

        int hidden = integer(text, "hidden_size", "config.json text_config");
        int heads = integer(text, "num_attention_heads", "config.json text_config");
        int headDim = text.has("head_dim") ? integer(text, "head_dim", "config.json text_config") : hidden / heads;
        int kvHeads = text.has("num_key_value_heads")
                ? integer(text, "num_key_value_heads", "config.json text_config") : heads;
        int vocab = config.has("vocab_size") ? integer(config, "vocab_size", "config.json")
                : integer(text, "vocab_size", "config.json text_config");
        int maxPositions = text.has("max_position_embeddings")
                ? integer(text, "max_position_embeddings", "config.json text_config") : Integer.MAX_VALUE;
        TextModelShape shape = new TextModelShape(hidden,
                integer(text, "num_hidden_layers", "config.json text_config"), kvHeads, headDim, vocab, maxPositions);

        int imageSeqLen = integer(processor, "image_seq_len", "processor_config.json");
        int tileSize = integer(object(preprocessor, "max_image_size", "preprocessor_config.json"), "longest_edge",
                "preprocessor_config.json max_image_size");
        int longestEdge = integer(object(preprocessor, "size", "preprocessor_config.json"), "longest_edge",
                "preprocessor_config.json size");
        int visionImageSize = integer(vision, "image_size", "config.json vision_config");
        int patch = integer(vision, "patch_size", "config.json vision_config");
        int scale = integer(config, "scale_factor", "config.json");
        int patchesPerSide = visionImageSize / patch;
        if (visionImageSize != tileSize || patchesPerSide * patchesPerSide != imageSeqLen * scale * scale) {
            throw new InvalidModelException("config files of " + root + " disagree: vision_config.image_size "
                    + visionImageSize + ", patch_size " + patch + ", scale_factor " + scale + " give "
                    + (patchesPerSide * patchesPerSide / (scale * scale)) + " features per image, but "
                    + "processor_config.json image_seq_len is " + imageSeqLen
                    + " and preprocessor max_image_size is " + tileSize);
        }
        float rescale = preprocessor.has("rescale_factor")
                ? preprocessor.get("rescale_factor").getAsFloat() : 1f / 255f;
        boolean normalize = !preprocessor.has("do_normalize") || preprocessor.get("do_normalize").getAsBoolean();
        float[] mean = normalize ? floats(preprocessor, "image_mean") : new float[] {0, 0, 0};
        float[] std = normalize ? floats(preprocessor, "image_std") : new float[] {1, 1, 1};
        boolean split = preprocessor.has("do_image_splitting") && preprocessor.get("do_image_splitting").getAsBoolean();
        ImageProcessing processing = new ImageProcessing(split, longestEdge, tileSize, rescale, mean, std, imageSeqLen);

        Set<Integer> stops = new LinkedHashSet<>();
        addIds(stops, generation.get("eos_token_id"));
        addIds(stops, text.get("eos_token_id"));
        if (stops.isEmpty()) {
            throw new InvalidModelException("generation_config.json of " + root + " has no eos_token_id");
        }
        int imageToken = integer(config, "image_token_id", "config.json");
        String type = config.has("model_type") ? config.get("model_type").getAsString() : "unknown";
        return new ModelFolder(root, shape, processing, imageToken, Set.copyOf(stops), type);
    }

    /**
     * The three graph files of a precision set.
     *
     * @throws InvalidModelException naming the missing files and listing the precisions that are complete
     */
    public Map<GraphKind, Path> graphFiles(PrecisionSet precisions) throws InvalidModelException {
        Map<GraphKind, Path> files = new EnumMap<>(GraphKind.class);
        List<String> missing = new ArrayList<>();
        for (GraphKind graph : GraphKind.values()) {
            Path file = root.resolve("onnx").resolve(graph.fileName(precisions.of(graph)));
            if (!Files.isRegularFile(file)) {
                missing.add("onnx/" + file.getFileName());
            }
            files.put(graph, file);
        }
        if (!missing.isEmpty()) {
            List<Precision> present = availablePrecisions();
            throw new InvalidModelException("model folder " + root + " has no " + String.join(", ", missing)
                    + " for precision " + precisions + "; precisions present: "
                    + (present.isEmpty() ? "none" : present.toString().replaceAll("[\\[\\]]", "")));
        }
        return files;
    }

    /**
     * The precision used when none is asked for: q4 where present (smallest and fastest on a CPU), else
     * int8, else fp32, else the first present.
     *
     * @throws InvalidModelException when no precision has all three graphs
     */
    public PrecisionSet defaultPrecision() throws InvalidModelException {
        List<Precision> present = availablePrecisions();
        for (Precision preferred : List.of(Precision.Q4, Precision.INT8, Precision.FP32)) {
            if (present.contains(preferred)) {
                return PrecisionSet.uniform(preferred);
            }
        }
        if (present.isEmpty()) {
            throw new InvalidModelException("model folder " + root + " has no complete set of onnx/vision_encoder*, "
                    + "onnx/embed_tokens* and onnx/decoder_model_merged* graphs");
        }
        return PrecisionSet.uniform(present.get(0));
    }

    /** Precisions for which all three graphs are present, in {@link Precision} order. */
    public List<Precision> availablePrecisions() {
        List<Precision> present = new ArrayList<>();
        for (Precision p : Precision.values()) {
            boolean all = true;
            for (GraphKind graph : GraphKind.values()) {
                all &= Files.isRegularFile(root.resolve("onnx").resolve(graph.fileName(p)));
            }
            if (all) {
                present.add(p);
            }
        }
        return present;
    }

    public Path root() {
        return root;
    }

    public TextModelShape textShape() {
        return textShape;
    }

    public ImageProcessing imageProcessing() {
        return imageProcessing;
    }

    /** The id of {@code <image>}, the placeholder that image features replace. */
    public int imageTokenId() {
        return imageTokenId;
    }

    /** Token ids that end an answer (generation config's and the text model's eos). */
    public Set<Integer> stopTokenIds() {
        return stopTokenIds;
    }

    public String modelType() {
        return modelType;
    }

    public Path tokenizerFile() {
        return root.resolve("tokenizer.json");
    }

    private static JsonObject readJson(Path root, String name) throws InvalidModelException {
        Path file = root.resolve(name);
        try {
            JsonElement element = JsonParser.parseString(Files.readString(file));
            if (!element.isJsonObject()) {
                throw new InvalidModelException(file + " is not a JSON object");
            }
            return element.getAsJsonObject();
        } catch (IOException e) {
            throw new InvalidModelException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (JsonParseException e) {
            throw new InvalidModelException(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static JsonObject object(JsonObject parent, String key, String where) throws InvalidModelException {
        if (!parent.has(key) || !parent.get(key).isJsonObject()) {
            throw new InvalidModelException(where + " has no object '" + key + "'");
        }
        return parent.getAsJsonObject(key);
    }

    private static int integer(JsonObject parent, String key, String where) throws InvalidModelException {
        try {
            if (parent.has(key) && parent.get(key).isJsonPrimitive()) {
                return parent.get(key).getAsInt();
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new InvalidModelException(where + " has no integer '" + key + "'");
    }

    private static float[] floats(JsonObject parent, String key) throws InvalidModelException {
        JsonElement element = parent.get(key);
        if (element == null || !element.isJsonArray() || element.getAsJsonArray().size() != 3) {
            throw new InvalidModelException("preprocessor_config.json has no 3-value array '" + key + "'");
        }
        JsonArray array = element.getAsJsonArray();
        return new float[] {array.get(0).getAsFloat(), array.get(1).getAsFloat(), array.get(2).getAsFloat()};
    }

    private static void addIds(Set<Integer> ids, JsonElement element) {
        if (element == null || element.isJsonNull()) {
            return;
        }
        if (element.isJsonArray()) {
            element.getAsJsonArray().forEach(e -> ids.add(e.getAsInt()));
        } else {
            ids.add(element.getAsInt());
        }
    }
}
