package io.glance.cli;

import io.glance.generation.ChatSession;
import io.glance.generation.ImageDetail;
import io.glance.onnx.LoadedModel;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --[no-]split}, {@code --longest-edge} (SmolVLM) and {@code --image-tokens} (Qwen-VL) options of every
 * command that reads images (a picocli mixin): how much of a picture the model sees; one left out means what the
 * model's preprocessor config says.
 * Filled by picocli on the command's thread; read-only after.
 */
public final class TilingOptions {
    @Option(names = "--split", negatable = true,
            description = "Cut images into tiles plus a global image (default: as the model says).")
    Boolean split;

    @Option(names = "--longest-edge", paramLabel = "N",
            description = "Resize images so the longest edge is N before tiling (default: as the model says).")
    Integer longestEdge;

    @Option(names = "--image-tokens", paramLabel = "N",
            description = "Qwen-VL: scale pictures down to at most N image tokens (default and upper limit: as the "
                    + "model says).")
    Integer maxImageTokens;

    /** A new conversation with {@code model} that sizes images as these options say. */
    ChatSession newChat(LoadedModel model, String systemPrompt) {
        return model.newChat(new ImageDetail(split, longestEdge, maxImageTokens), systemPrompt);
    }

    /** The options that were given, as command-line arguments for a child process. */
    List<String> asArguments() {
        List<String> arguments = new ArrayList<>();
        if (split != null) {
            arguments.add(split ? "--split" : "--no-split");
        }
        if (longestEdge != null) {
            arguments.addAll(List.of("--longest-edge", longestEdge.toString()));
        }
        if (maxImageTokens != null) {
            arguments.addAll(List.of("--image-tokens", maxImageTokens.toString()));
        }
        return arguments;
    }
}
