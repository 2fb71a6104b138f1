package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.Timings;
import io.glance.onnx.LoadedModel;
import io.glance.onnx.VisionEncoderLoading;
import io.glance.session.ModelLocator;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * {@code glance ask}: one question, with or without images, answered on stdout as it is generated, or as
 * one JSON object with {@code --json}. Runs on the calling thread.
 */
@Command(name = "ask", description = "Ask a question about images (or none) and stream the answer.")
public final class AskCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--image", description = "An image file; repeat for several.")
    List<Path> images = new ArrayList<>();

    @Mixin
    TilingOptions tiling = new TilingOptions();

    @Option(names = "--max-new-tokens", description = "At most N new tokens (default: 256).")
    int maxNewTokens = 256;

    @Option(names = "--temperature", description = "0 for greedy (default), else sampling temperature.")
    float temperature = 0f;

    @Option(names = "--top-p", description = "Nucleus sampling mass (default: 1).")
    float topP = 1f;

    @Option(names = "--repetition-penalty", description = "Penalty on repeated tokens (default: 1, off).")
    float repetitionPenalty = 1f;

    @Option(names = "--seed", description = "Sampling seed (default: 0).")
    long seed;

    @Option(names = "--system", description = "A system prompt.")
    String systemPrompt;

    @Option(names = "--json", description = "Print one JSON object at the end instead of streaming.")
    boolean json;

    @Parameters(arity = "1", paramLabel = "QUESTION", description = "The question.")
    String question;

    private final ModelLocator locator;

    public AskCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        GenerationOptions options;
        try {
            options = new GenerationOptions(maxNewTokens, temperature, topP, repetitionPenalty, seed, false);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        List<DecodedImage> decoded = new ArrayList<>();
        // a text question opens no vision encoder (it would only cost load time and memory)
        try (LoadedModel loaded = modelOptions.load(locator,
                images.isEmpty() ? VisionEncoderLoading.ON_FIRST_PICTURE : VisionEncoderLoading.WITH_THE_MODEL)) {
            if (!images.isEmpty()) {  // OpenCV's native library is loaded only for a picture
                ImageDecoder decoder = new ImageDecoder();
                for (Path image : images) {
                    decoded.add(decoder.decode(image));
                }
            }
            GenerationResult result;
            try (ChatSession chat = tiling.newChat(loaded, systemPrompt)) {
                result = chat.ask(question, decoded, options, json ? piece -> { } : new AnswerPrinter(out), new Cancellation());
            }
            if (json) {
                out.println(toJson(result, loaded));
            } else {
                out.println();
            }
            return 0;
        } finally {
            decoded.forEach(DecodedImage::close);
        }
    }

    /** Prints streamed pieces as they come, less the white space before the first word. Single-threaded. */
    private static final class AnswerPrinter implements Consumer<String> {
        private final PrintStream out;
        private boolean started;

        AnswerPrinter(PrintStream out) {
            this.out = out;
        }

        @Override
        public void accept(String piece) {
            String text = started ? piece : piece.stripLeading();
            if (!text.isEmpty()) {
                started = true;
                out.print(text);
            }
        }
    }

    private static String toJson(GenerationResult result, LoadedModel loaded) {
        JsonObject root = new JsonObject();
        root.addProperty("text", result.text());
        JsonArray ids = new JsonArray();
        for (int id : result.tokenIds()) {
            ids.add(id);
        }
        root.add("token_ids", ids);
        root.addProperty("finish_reason", result.finishReason().jsonName());
        root.addProperty("prompt_tokens", result.promptTokens());
        root.addProperty("image_tokens", result.imageTokens());
        root.addProperty("provider", loaded.model().provider());
        root.addProperty("fallback_reason", loaded.model().fallbackReason());
        root.addProperty("precision", loaded.model().precisions().toString());
        JsonObject timings = new JsonObject();
        Timings t = result.timings();
        timings.addProperty("load_ms", round(loaded.loadMs()));
        timings.addProperty("image_ms", round(t.imageMs()));
        timings.addProperty("prefill_ms", round(t.prefillMs()));
        timings.addProperty("ttft_ms", round(t.ttftMs()));
        timings.addProperty("decode_tokens_per_s", round(t.decodeTokensPerS()));
        timings.addProperty("vision_ms", round(t.visionMs()));
        timings.addProperty("preprocess_ms", round(t.preprocessMs()));
        root.add("timings", timings);
        return new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(root);
    }

    /** Two decimals; NaN (no such phase) becomes null in JSON. */
    static Double round(double value) {
        return Double.isNaN(value) ? null : Math.round(value * 100) / 100.0;
    }
}
