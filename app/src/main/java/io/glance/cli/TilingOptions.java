package io.glance.cli;

import io.glance.generation.ChatSession;
import io.glance.onnx.LoadedModel;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code --[no-]split} and {@code --longest-edge} options of every command that reads images (a picocli
 * mixin): how images are cut into tiles; either left out means what the model's preprocessor config says.
 * Filled by picocli on the command's thread; read-only after.
 */
public final class TilingOptions {
    @Option(names = "--split", negatable = true,
            description = "Cut images into tiles plus a global image (default: as the model says).")
    Boolean split;

    @Option(names = "--longest-edge", paramLabel = "N",
            description = "Resize images so the longest edge is N before tiling (default: as the model says).")
    Integer longestEdge;

    /** A new conversation with {@code model} that cuts images as these options say. */
    ChatSession newChat(LoadedModel model, String systemPrompt) {
        return model.newChat(split, longestEdge, systemPrompt);
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
        return arguments;
    }
}
