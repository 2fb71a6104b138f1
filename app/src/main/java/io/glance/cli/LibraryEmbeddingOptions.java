package io.glance.cli;

import io.glance.model.ContrastiveGraph;
import io.glance.model.InvalidModelException;
import io.glance.onnx.CpuThreading;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Set;

/**
 * The options of the library commands that choose the image–text model of a library's embeddings (a picocli
 * mixin): {@code --embedding-model} and {@code --embedding-dtype}. Filled by picocli on the command's thread;
 * read-only after.
 */
public final class LibraryEmbeddingOptions {
    @Option(names = "--embedding-model", paramLabel = "DIR",
            description = "CLIP or SigLIP model folder for the embeddings (default: the bundled demo CLIP).")
    Path model;

    @Option(names = "--embedding-dtype", paramLabel = "PRECISION",
            description = "Precision of the embedding model (default: the index's, else q8, int8 or fp32).")
    String dtype;

    /**
     * Loads {@code graph} of the model these options name.
     *
     * @param indexModel the id the library's embeddings were made with ({@code folder precision}), or {@code null};
     *                   its precision is the default, and a model that is not it is refused
     * @throws InvalidModelException when the model is missing or wrong, or is not the one the library was embedded with
     */
    OnnxEmbeddingModel load(ModelLocator locator, ContrastiveGraph graph, CpuThreading threading, String indexModel)
            throws InvalidModelException {
        String precision = dtype != null ? dtype
                : indexModel != null ? indexModel.substring(indexModel.lastIndexOf(' ') + 1) : null;
        OnnxEmbeddingModel loaded = EmbeddingModelOptions.open(locator, model, precision, Set.of(graph), threading);
        if (indexModel != null && !indexModel.equals(loaded.id())) {
            loaded.close();
            throw new InvalidModelException("the library's embeddings were made with " + indexModel + ", not "
                    + loaded.id() + "; give that model with --embedding-model DIR (and --embedding-dtype)");
        }
        return loaded;
    }
}
