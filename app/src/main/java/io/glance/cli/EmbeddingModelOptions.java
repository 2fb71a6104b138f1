package io.glance.cli;

import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.model.InvalidModelException;
import io.glance.model.Precision;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;

/**
 * The options that choose and load an image–text embedding model (CLIP or SigLIP) for a command (a picocli
 * mixin): {@code --model}, {@code --dtype} and the CPU options. Filled by picocli on the command's thread;
 * read-only after.
 */
public final class EmbeddingModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "CLIP or SigLIP model folder in the published layout (default: the bundled demo CLIP).")
    Path model;

    @Option(names = "--dtype", paramLabel = "PRECISION",
            description = "Precision: fp32, fp16, int8, uint8, q8, q4, q4f16, bnb4 (default: q8, else int8, else fp32).")
    String dtype;

    @Mixin
    CpuOptions cpu = new CpuOptions();

    /**
     * Loads {@code graphs} of the model these options name.
     *
     * @throws InvalidModelException when no model is found, it is not CLIP-family, or its files are missing or wrong
     */
    OnnxEmbeddingModel load(ModelLocator locator, Set<ContrastiveGraph> graphs) throws InvalidModelException {
        return open(locator, model, dtype, graphs, cpu.threading());
    }

    /**
     * Loads {@code graphs} of the CLIP-family model in {@code folder} (else the one the locator chooses) in
     * {@code precision} (else the folder's default): the one sequence behind every command's embedding options.
     *
     * @throws InvalidModelException when the model is missing, not CLIP-family, or its files are wrong
     */
    static OnnxEmbeddingModel open(ModelLocator locator, Path folder, String precision, Set<ContrastiveGraph> graphs,
                                   CpuThreading threading) throws InvalidModelException {
        ContrastiveFolder opened = ContrastiveFolder.open(locator.resolveEmbeddingModel(folder));
        Precision parsed;
        try {
            parsed = precision == null ? null : Precision.parse(precision);
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(e.getMessage());
        }
        return OnnxEmbeddingModel.load(opened, parsed, graphs, threading);
    }
}
