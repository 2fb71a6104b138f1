package io.glance.model;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The three graphs of a published CLIP-family (image–text) export under {@code onnx/}: the text tower, the vision
 * tower, and both with the logits of every text against every picture (what zero-shot labels run). Immutable.
 */
public enum ContrastiveGraph {
    TEXT("text_model"),
    VISION("vision_model"),
    COMBINED("model");

    private final String fileStem;

    ContrastiveGraph(String fileStem) {
        this.fileStem = fileStem;
    }

    /**
     * Precisions for which {@code folder} has the text and the vision graph (what an installed image–text model
     * needs at least), in {@link Precision} order; empty when it is no image–text folder.
     */
    public static List<Precision> towerPrecisions(Path folder) {
        if (!ModelFolder.IMAGE_TEXT_CONFIG_FILES.stream().allMatch(name -> Files.isRegularFile(folder.resolve(name)))) {
            return List.of();
        }
        return Arrays.stream(Precision.values()).filter(precision -> Files.isRegularFile(folder.resolve("onnx")
                .resolve(TEXT.fileName(precision))) && Files.isRegularFile(folder.resolve("onnx")
                .resolve(VISION.fileName(precision)))).toList();
    }

    /** {@code onnx/} file name for a precision, e.g. {@code vision_model_quantized.onnx}. */
    public String fileName(Precision precision) {
        return fileStem + precision.fileSuffix() + ".onnx";
    }
}
