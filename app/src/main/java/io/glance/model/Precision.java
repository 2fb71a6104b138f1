package io.glance.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The weight precisions of the published SmolVLM ONNX exports and the file-name suffix each one uses
 * ({@code onnx/decoder_model_merged_q4.onnx} is {@link #Q4}). Immutable; safe on any thread.
 */
public enum Precision {
    FP32(""),
    FP16("_fp16"),
    INT8("_int8"),
    UINT8("_uint8"),
    Q8("_quantized"),
    Q4("_q4"),
    Q4F16("_q4f16"),
    BNB4("_bnb4");

    private final String fileSuffix;

    Precision(String fileSuffix) {
        this.fileSuffix = fileSuffix;
    }

    /** The suffix between the graph name and {@code .onnx}, empty for fp32. */
    public String fileSuffix() {
        return fileSuffix;
    }

    /** The name users type and tools print: {@code fp32}, {@code q4}, … */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a user-supplied precision name.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code name} is not one of them
     */
    public static Precision parse(String name) {
        for (Precision p : values()) {
            if (p.cliName().equalsIgnoreCase(name.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "'; expected one of " + allNames());
    }

    /** All names, for messages: {@code fp32, fp16, …}. */
    public static String allNames() {
        return Arrays.stream(values()).map(Precision::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName();
    }
}
