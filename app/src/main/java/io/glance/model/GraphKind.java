package io.glance.model;

/**
 * The three ONNX graphs of a published SmolVLM export, with their file stems under {@code onnx/}.
 * Immutable; safe on any thread.
 */
public enum GraphKind {
    VISION_ENCODER("vision_encoder"),
    EMBED_TOKENS("embed_tokens"),
    DECODER("decoder_model_merged");

    private final String fileStem;

    GraphKind(String fileStem) {
        this.fileStem = fileStem;
    }

    /** The file name for a precision, e.g. {@code decoder_model_merged_q4.onnx}. */
    public String fileName(Precision precision) {
        return fileStem + precision.fileSuffix() + ".onnx";
    }

    public String fileStem() {
        return fileStem;
    }
}
