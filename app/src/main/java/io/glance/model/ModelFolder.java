package io.glance.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model folder in the published transformers.js ONNX layout (config files, a tokenizer and
 * {@code onnx/{vision_encoder,embed_tokens,decoder_model_merged}*.onnx}), with what every family has read from
 * its config files: the decoder's dimensions, the image token, the stop ids and the {@code model_type} that names
 * its family. None is assumed. {@link #graphFiles} checks the graphs of one precision set. Immutable once opened;
 * safe on any thread.
 */
public final class ModelFolder {
    /** Config files every published folder has, whatever its family. */
    public static final List<String> CONFIG_FILES = List.of(
            "config.json", "generation_config.json", "preprocessor_config.json", "tokenizer.json");

    /** The config files of an image–text (CLIP-family) folder, which has no generation config. */
    public static final List<String> IMAGE_TEXT_CONFIG_FILES = List.of(
            "config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json");

    private final Path root;
    private final ConfigJson config;
    private final ConfigJson preprocessor;
    private final TextModelShape textShape;
    private final int imageTokenId;
    private final Set<Integer> stopTokenIds;
    private final String modelType;

    private ModelFolder(Path root, ConfigJson config, ConfigJson preprocessor, TextModelShape textShape,
                        int imageTokenId, Set<Integer> stopTokenIds, String modelType) {
        this.root = root;
        this.config = config;
        this.preprocessor = preprocessor;
        this.textShape = textShape;
        this.imageTokenId = imageTokenId;
        this.stopTokenIds = stopTokenIds;
        this.modelType = modelType;
    }

    /**
     * Reads and checks the config files every family has: the decoder's dimensions (from {@code text_config}, or
     * from the top level where the family keeps them there), the image token and the stop ids. What only one
     * family reads is its family's to check.
     *
     * @throws InvalidModelException naming the missing file, key or disagreement
     */
    public static ModelFolder open(Path root) throws InvalidModelException {
        requireFiles(root, CONFIG_FILES, "a published model folder");
        ConfigJson config = ConfigJson.read(root.resolve("config.json"));
        ConfigJson text = config.optionalObject("text_config").orElse(config);
        ConfigJson generation = ConfigJson.read(root.resolve("generation_config.json"));
        ConfigJson preprocessor = ConfigJson.read(root.resolve("preprocessor_config.json"));

        int hidden = text.integer("hidden_size");
        int heads = text.integer("num_attention_heads");
        int headDim = text.integer("head_dim", hidden / heads);
        int kvHeads = text.integer("num_key_value_heads", heads);
        int vocab = config.has("vocab_size") ? config.integer("vocab_size") : text.integer("vocab_size");
        int maxPositions = text.integer("max_position_embeddings", Integer.MAX_VALUE);
        TextModelShape shape = new TextModelShape(hidden, text.integer("num_hidden_layers"), kvHeads, headDim, vocab,
                maxPositions);

        Set<Integer> stops = new LinkedHashSet<>();
        generation.addIds("eos_token_id", stops);
        text.addIds("eos_token_id", stops);
        if (stops.isEmpty()) {
            throw new InvalidModelException("generation_config.json of " + root + " has no eos_token_id");
        }
        int imageToken = config.integer("image_token_id");
        String type = config.string("model_type").orElse("unknown");
        return new ModelFolder(root, config, preprocessor, shape, imageToken, Set.copyOf(stops), type);
    }

    /**
     * Checks that {@code root} is a folder holding every file of {@code names}.
     *
     * @param layout how the message names the layout, e.g. {@code a published model folder}
     * @throws InvalidModelException naming the missing files and every file the layout has
     */
    public static void requireFiles(Path root, List<String> names, String layout) throws InvalidModelException {
        if (!Files.isDirectory(root)) {
            throw new InvalidModelException("model folder " + root + " does not exist or is not a folder");
        }
        List<String> missing = names.stream().filter(name -> !Files.isRegularFile(root.resolve(name))).toList();
        if (!missing.isEmpty()) {
            throw new InvalidModelException("model folder " + root + " is missing " + String.join(", ", missing)
                    + " (" + layout + " has " + String.join(", ", names) + " and onnx/)");
        }
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

    /** {@code config.json}. */
    public ConfigJson config() {
        return config;
    }

    /** {@code preprocessor_config.json}. */
    public ConfigJson preprocessorConfig() {
        return preprocessor;
    }

    /**
     * Another config file of the folder, such as {@code processor_config.json}.
     *
     * @throws InvalidModelException when it is missing or not a JSON object
     */
    public ConfigJson configFile(String name) throws InvalidModelException {
        Path file = root.resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new InvalidModelException("model folder " + root + " has no " + name + ", which a " + modelType
                    + " model needs");
        }
        return ConfigJson.read(file);
    }

    /** Whether the folder holds the config file {@code name}. */
    public boolean hasConfigFile(String name) {
        return Files.isRegularFile(root.resolve(name));
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
}
