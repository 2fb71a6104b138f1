package io.glance;

import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.embedding.EmbeddingModel;
import io.glance.family.ModelFamilies;
import io.glance.generation.ImageDetail;
import io.glance.generation.ModelFormat;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.OnnxEmbeddingModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

/** Where the test models live: the tiny random model and the real 256M config files in test resources. */
public final class TestModels {
    private TestModels() {
    }

    /** Random weights, published layout, small dims (tile 64, 16 features per tile), fp32 and q4. */
    public static Path tinyRandom() {
        return resource("models/tiny-random");
    }

    /** A copy of the tiny random model in {@code target} (created), for tests that change or touch its files. */
    public static Path copyOfTinyRandom(Path target) throws IOException {
        Path source = tinyRandom();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path copy = target.resolve(source.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    /** The format a conversation with {@code folder} gets, with the model's own image settings. */
    public static ModelFormat format(ModelFolder folder) {
        try {
            return ModelFamilies.read(folder).format(ImageDetail.MODEL_DEFAULT);
        } catch (InvalidModelException e) {
            throw new IllegalStateException("a test model does not read: " + e.getMessage(), e);
        }
    }

    /** The real SmolVLM-256M-Instruct config and tokenizer files, no graphs. */
    public static Path referenceConfigs() {
        return resource("models/smolvlm-256m-configs");
    }

    /** The tiny random-weight CLIP fixture (fp32 and q8), loaded in fp32 with only {@code graphs}. */
    public static EmbeddingModel tinyClip(ContrastiveGraph... graphs) {
        try {
            return OnnxEmbeddingModel.load(ContrastiveFolder.open(resource("models/tiny-clip")), Precision.FP32,
                    Set.of(graphs), CpuThreading.interactive(2));
        } catch (InvalidModelException e) {
            throw new IllegalStateException("the tiny CLIP does not load: " + e.getMessage(), e);
        }
    }

    /** The repository root (parent of app/). */
    public static Path repoRoot() {
        String property = System.getProperty("glance.repo.root");
        Path root = property != null ? Path.of(property) : Path.of("..");
        return root.toAbsolutePath().normalize();
    }

    private static Path resource(String name) {
        Path path = repoRoot().resolve("app/src/test/resources").resolve(name);
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException("test model missing: " + path);
        }
        return path;
    }
}
