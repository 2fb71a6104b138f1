package io.glance.onnx;

import io.glance.family.ModelFamilies;
import io.glance.generation.ChatSession;
import io.glance.generation.FamilyModel;
import io.glance.generation.ImageDetail;
import io.glance.generation.Sampler;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.prompt.TextTokenizer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Everything needed to answer questions with one model folder: its configs as its family reads them, its
 * tokenizer and its ONNX sessions, loaded together. Owns native memory: close it. Start {@link ChatSession}s from the inference
 * thread that will use them.
 *
 * @param family    configs, dimensions and the family's format
 * @param tokenizer the model's tokenizer
 * @param model     the ONNX sessions
 * @param loadMs    wall time of {@link #load}
 */
public record LoadedModel(FamilyModel family, TextTokenizer tokenizer, OnnxVisionLanguageModel model, double loadMs)
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
     * Loads a folder whose config files were already read; the tokenizer loads while the sessions open (on
     * whichever thread is free first), and the token picker is compiled by the JIT on another thread afterwards.
     *
     * @throws InvalidModelException naming the missing or wrong file, or a {@code model_type} no family runs
     */
    public static LoadedModel load(ModelFolder folder, PrecisionSet precisions, Device device, CpuThreading threading)
            throws InvalidModelException {
        return load(folder, precisions, device, threading, VisionEncoderLoading.WITH_THE_MODEL);
    }

    /**
     * Loads a folder whose config files were already read, with its vision encoder now or with the first picture;
     * otherwise as {@link #load(ModelFolder, PrecisionSet, Device, CpuThreading)}.
     *
     * @throws InvalidModelException naming the missing or wrong file, or a {@code model_type} no family runs
     */
    public static LoadedModel load(ModelFolder folder, PrecisionSet precisions, Device device, CpuThreading threading,
                                   VisionEncoderLoading vision) throws InvalidModelException {
        long start = System.nanoTime();
        FamilyModel family = ModelFamilies.read(folder);
        LoaderThread.Claimable<TextTokenizer> loadingTokenizer =
                LoaderThread.claimable(() -> TextTokenizer.load(folder.tokenizerFile()));
        if (vision == VisionEncoderLoading.ON_FIRST_PICTURE) {
            // no vision session to open first: the tokenizer, the longest part now, starts at once
            loadingTokenizer.queue();
        }
        CompletableFuture<TextTokenizer> tokenizer = loadingTokenizer.result();
        OnnxVisionLanguageModel model;
        try {
            model = OnnxVisionLanguageModel.load(family, precisions, device, threading, vision, List.of(loadingTokenizer));
        } catch (InvalidModelException | RuntimeException e) {
            tokenizer.thenAccept(TextTokenizer::close);
            throw e;
        }
        try {
            LoadedModel loaded = new LoadedModel(family, tokenizer.join(), model, (System.nanoTime() - start) / 1e6);
            CHeap.returnFreePages();
            LoaderThread.submit(() -> Sampler.warmUp(folder.textShape().vocabSize()));
            return loaded;
        } catch (CompletionException e) {
            model.close();
            if (e.getCause() instanceof InvalidModelException invalid) {
                throw invalid;
            }
            throw e;
        }
    }

    /** Configs and dimensions. */
    public ModelFolder folder() {
        return family.folder();
    }

    /**
     * A new conversation.
     *
     * @param detail       the person's image settings over the model's own
     * @param systemPrompt a system turn, or {@code null}
     */
    public ChatSession newChat(ImageDetail detail, String systemPrompt) {
        return new ChatSession(model, tokenizer, family.format(detail), systemPrompt);
    }

    @Override
    public void close() {
        tokenizer.close();
        model.close();
    }
}
