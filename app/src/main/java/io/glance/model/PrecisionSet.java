package io.glance.model;

import java.util.Locale;

/**
 * Which precision each of the three graphs is loaded in. Published folders allow mixed sets such as
 * vision q4 + embed int8 + decoder q4. Immutable; safe on any thread.
 *
 * @param vision  precision of {@code vision_encoder}
 * @param embed   precision of {@code embed_tokens}
 * @param decoder precision of {@code decoder_model_merged}
 */
public record PrecisionSet(Precision vision, Precision embed, Precision decoder) {

    /** The same precision for all three graphs. */
    public static PrecisionSet uniform(Precision precision) {
        return new PrecisionSet(precision, precision, precision);
    }

    /**
     * Parses {@code q4} (all graphs) or {@code vision=q4,embed=int8,decoder=q4} (any graph left out is fp32).
     *
     * @throws IllegalArgumentException with a message naming the accepted forms
     */
    public static PrecisionSet parse(String text) {
        if (!text.contains("=")) {
            return uniform(Precision.parse(text));
        }
        Precision vision = Precision.FP32;
        Precision embed = Precision.FP32;
        Precision decoder = Precision.FP32;
        for (String part : text.split(",")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("bad precision part '" + part + "'; expected graph=precision");
            }
            Precision p = Precision.parse(kv[1]);
            switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                case "vision" -> vision = p;
                case "embed" -> embed = p;
                case "decoder" -> decoder = p;
                default -> throw new IllegalArgumentException(
                        "unknown graph '" + kv[0] + "'; expected vision, embed or decoder");
            }
        }
        return new PrecisionSet(vision, embed, decoder);
    }

    /** The precision for one graph. */
    public Precision of(GraphKind graph) {
        return switch (graph) {
            case VISION_ENCODER -> vision;
            case EMBED_TOKENS -> embed;
            case DECODER -> decoder;
        };
    }

    /** {@code q4} for a uniform set, else {@code vision=…,embed=…,decoder=…}. */
    @Override
    public String toString() {
        if (vision == embed && embed == decoder) {
            return vision.cliName();
        }
        return "vision=" + vision + ",embed=" + embed + ",decoder=" + decoder;
    }
}
