package io.glance.onnx.fusion;

import java.util.Locale;

/**
 * Which decoder graph to run on the CPU. {@link #FUSED} is the published graph rewritten into ONNX Runtime's fused
 * operators with the same arithmetic (it falls back to the published graph, saying why, when the rewrite does not
 * apply or does not match it); {@link #FUSED_INT8} also computes the 4-bit layers with int8 activations
 * (MatMulNBits accuracy level 4: faster, slightly different numbers); {@link #PUBLISHED} runs the file as
 * published. Accelerators always run the published graph. Immutable.
 */
public enum DecoderChoice {
    PUBLISHED, FUSED, FUSED_INT8;

    /** The default: fused, same arithmetic. */
    public static final DecoderChoice DEFAULT = FUSED;

    /** {@code published}, {@code fused}, {@code fused-int8}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a user-supplied name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DecoderChoice parse(String name) {
        for (DecoderChoice choice : values()) {
            if (choice.cliName().equalsIgnoreCase(name.trim())) {
                return choice;
            }
        }
        throw new IllegalArgumentException("unknown decoder '" + name + "'; expected published, fused or fused-int8");
    }
}
