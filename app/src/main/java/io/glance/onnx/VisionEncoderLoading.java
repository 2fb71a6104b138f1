package io.glance.onnx;

/** When a model's vision encoder session is created. */
public enum VisionEncoderLoading {
    /** With the rest of the model, in parallel: pictures are expected (the window, a question with images). */
    WITH_THE_MODEL,
    /**
     * When the first picture is encoded, on the thread that encodes it: for text questions, which then neither
     * wait for it nor hold its memory (like llama.cpp without a multimodal projector).
     */
    ON_FIRST_PICTURE
}
