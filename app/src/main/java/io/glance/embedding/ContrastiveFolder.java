package io.glance.embedding;

import io.glance.model.ConfigJson;
import io.glance.model.ContrastiveGraph;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A CLIP-family model folder in the published transformers.js layout: {@code config.json} (its {@code model_type}
 * names the {@link ContrastiveKind}), {@code preprocessor_config.json}, {@code tokenizer.json},
 * {@code tokenizer_config.json} and {@code onnx/{text_model,vision_model,model}<suffix>.onnx}. Immutable once
 * opened; safe on any thread.
 */
public final class ContrastiveFolder {
    /** The config files every such folder has. */
    public static final List<String> CONFIG_FILES = ModelFolder.IMAGE_TEXT_CONFIG_FILES;

    private final Path root;
    private final ContrastiveKind kind;
    private final ContrastiveImageProcessor imageProcessor;

    private ContrastiveFolder(Path root, ContrastiveKind kind, ContrastiveImageProcessor imageProcessor) {
        this.root = root;
        this.kind = kind;
        this.imageProcessor = imageProcessor;
    }

    /**
     * Reads and checks the config files.
     *
     * @throws InvalidModelException naming the missing file or key, or a {@code model_type} that is not CLIP-family
     */
    public static ContrastiveFolder open(Path root) throws InvalidModelException {
        ModelFolder.requireFiles(root, CONFIG_FILES, "a published CLIP or SigLIP folder");
        ConfigJson config = ConfigJson.read(root.resolve("config.json"));
        ContrastiveKind kind = ContrastiveKind.of(config.string("model_type").orElse("unknown"), root);
        ContrastiveImageProcessor processor = ContrastiveImageProcessor.read(
                ConfigJson.read(root.resolve("preprocessor_config.json")), root);
        return new ContrastiveFolder(root, kind, processor);
    }

    /** Whether {@code root}'s {@code config.json} names a CLIP-family {@code model_type}. */
    public static boolean isContrastive(Path root) {
        Path config = root.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            String type = ConfigJson.read(config).string("model_type").orElse("");
            ContrastiveKind.of(type, root);
            return true;
        } catch (InvalidModelException e) {
            return false;
        }
    }

    /** The graph file of a precision, when present. */
    public Optional<Path> graphFile(ContrastiveGraph graph, Precision precision) {
        Path file = root.resolve("onnx").resolve(graph.fileName(precision));
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    /**
     * The graph file of a precision.
     *
     * @throws InvalidModelException naming the file and the precisions present
     */
    public Path requireGraph(ContrastiveGraph graph, Precision precision) throws InvalidModelException {
        return graphFile(graph, precision).orElseThrow(() -> new InvalidModelException("model folder " + root
                + " has no onnx/" + graph.fileName(precision) + "; precisions with it: "
                + describe(precisionsWith(graph))));
    }

    /** Precisions whose file of {@code graph} is present, in {@link Precision} order. */
    public List<Precision> precisionsWith(ContrastiveGraph graph) {
        return Arrays.stream(Precision.values()).filter(precision -> graphFile(graph, precision).isPresent()).toList();
    }

    /**
     * The precision used when none is asked for: q8 where {@code graph} has it (a quarter of fp32's size, what
     * the reference's CPU default was for these models), else int8, else fp32, else the first present.
     *
     * @throws InvalidModelException when no precision has it
     */
    public Precision defaultPrecision(ContrastiveGraph graph) throws InvalidModelException {
        List<Precision> present = precisionsWith(graph);
        for (Precision preferred : List.of(Precision.Q8, Precision.INT8, Precision.FP32)) {
            if (present.contains(preferred)) {
                return preferred;
            }
        }
        if (present.isEmpty()) {
            throw new InvalidModelException("model folder " + root + " has no onnx/" + graph.fileName(Precision.FP32)
                    + " in any precision");
        }
        return present.get(0);
    }

    private static String describe(List<Precision> precisions) {
        return precisions.isEmpty() ? "none" : precisions.toString().replaceAll("[\\[\\]]", "");
    }

    public Path root() {
        return root;
    }

    public ContrastiveKind kind() {
        return kind;
    }

    public ContrastiveImageProcessor imageProcessor() {
        return imageProcessor;
    }
}
