package io.glance.onnx;

import io.glance.generation.ChatSession;
import io.glance.generation.Sampler;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.prompt.TextTokenizer;
import io.glance.vision.ImagePreprocessor;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Everything needed to answer questions with one model folder: its configs, its tokenizer and its ONNX
 * sessions, loaded together. Owns native memory: close it. Start {@link ChatSession}s from the inference
 * thread that will use them.
 *
 * @param folder    configs and dimensions
 * @param tokenizer the model's tokenizer
 * @param model     the ONNX sessions
 * @param loadMs    wall time of {@link #load}
 */
public record LoadedModel(ModelFolder folder, TextTokenizer tokenizer, OnnxVisionLanguageModel model, double loadMs)
        implements AutoCloseable {

    /**
     * Loads a folder in the published layout; the tokenizer loads on another thread while the sessions open.
     *
     * @throws InvalidModelException naming the missing or wrong file
     */
    public static LoadedModel load(Path dir, PrecisionSet precisions, Device device, CpuThreading threading)
            throws InvalidModelException {
        return load(ModelFolder.open(dir), precisions, device, threading);
    }

    /**
     * Loads a folder whose config files were already read; the tokenizer loads (and the token picker is
     * compiled by the JIT) on another thread while the sessions open.
     *
     * @throws InvalidModelException naming the missing or wrong file
     */
    public static LoadedModel load(ModelFolder folder, PrecisionSet precisions, Device device, CpuThreading threading)
            throws InvalidModelException {
        long start = System.nanoTime();
        CompletableFuture<TextTokenizer> tokenizer = LoaderThread.submit(() -> TextTokenizer.load(folder.tokenizerFile()));
        LoaderThread.submit(() -> Sampler.warmUp(folder.textShape().vocabSize()));
        OnnxVisionLanguageModel model;
        try {
            model = OnnxVisionLanguageModel.load(folder, precisions, device, threading);
        } catch (InvalidModelException | RuntimeException e) {
            tokenizer.thenAccept(TextTokenizer::close);
            throw e;
        }
        try {
            return new LoadedModel(folder, tokenizer.join(), model, (System.nanoTime() - start) / 1e6);
        } catch (CompletionException e) {
            model.close();
            if (e.getCause() instanceof InvalidModelException invalid) {
                throw invalid;
            }
            throw e;
        }
    }

    /**
     * A new conversation.
     *
     * @param split        overrides the model's image splitting, or {@code null}
     * @param longestEdge  overrides the first-resize edge, or {@code null}
     * @param systemPrompt a system turn, or {@code null}
     */
    public ChatSession newChat(Boolean split, Integer longestEdge, String systemPrompt) {
        ImagePreprocessor preprocessor = new ImagePreprocessor(folder.imageProcessing().withOverrides(split, longestEdge));
        return new ChatSession(model, tokenizer, preprocessor, systemPrompt);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
