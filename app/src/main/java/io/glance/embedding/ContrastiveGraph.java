package io.glance.embedding;

import io.glance.model.Precision;

/**
 * The three graphs of a published CLIP-family export under {@code onnx/}: the text tower, the vision tower, and
 * both with the logits of every text against every picture (what zero-shot labels run). Immutable.
 */
public enum ContrastiveGraph {
    TEXT("text_model"),
    VISION("vision_model"),
    COMBINED("model");

    private final String fileStem;

    ContrastiveGraph(String fileStem) {
        this.fileStem = fileStem;
    }

    /** {@code onnx/} file name for a precision, e.g. {@code vision_model_quantized.onnx}. */
    public String fileName(Precision precision) {
        return fileStem + precision.fileSuffix() + ".onnx";
    }
}
