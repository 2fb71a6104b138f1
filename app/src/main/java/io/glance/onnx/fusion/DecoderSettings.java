package io.glance.onnx.fusion;

import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.TextModelShape;

import java.util.List;

/**
 * What the fused decoder takes from {@code config.json} besides the weights: head counts, the rotary embedding's
 * base and table length, the RMS norm's epsilon. Immutable.
 *
 * @param layers          decoder layers
 * @param hidden          width of the residual stream
 * @param heads           query heads
 * @param kvHeads         key/value heads
 * @param headDim         width of one head
 * @param ropeTheta       the rotary embedding's base
 * @param rmsNormEps      the RMS norm's epsilon
 * @param rotaryPositions rows of the cos/sin tables: the longest sequence the decoder reads
 * @param mropeSection    for Qwen-VL's multimodal rotary embedding (M-RoPE), how many of the head's frequencies
 *                        take their position from each of {@code position_ids}' three rows (temporal, height,
 *                        width); empty for the plain rotary embedding
 */
record DecoderSettings(int layers, int hidden, int heads, int kvHeads, int headDim, double ropeTheta, float rmsNormEps,
                       int rotaryPositions, List<Integer> mropeSection) {
    /** The longest rotary table written (8 MB per table at head dim 128). */
    private static final int MAX_ROTARY_POSITIONS = 1 << 15;

    /** Reads the settings of {@code folder}, refusing rotary embeddings other than plain RoPE and M-RoPE. */
    static DecoderSettings read(ModelFolder folder) throws FusionRefused {
        ConfigJson config = folder.config();
        ConfigJson text = config.optionalObject("text_config").orElse(config);
        List<Integer> mropeSection = List.of();
        if (text.has("rope_scaling")) {
            mropeSection = mropeSection(text.optionalObject("rope_scaling").orElse(null));
        }
        TextModelShape shape = folder.textShape();
        if (shape.maxPositions() > MAX_ROTARY_POSITIONS) {
            throw new FusionRefused("config.json gives no max_position_embeddings up to " + MAX_ROTARY_POSITIONS);
        }
        try {
            int heads = text.integer("num_attention_heads");
            if (!mropeSection.isEmpty() && mropeSection.stream().mapToInt(Integer::intValue).sum() * 2 != shape.headDim()) {
                throw new FusionRefused("its mrope_section " + mropeSection + " does not cover half the head dimension");
            }
            return new DecoderSettings(shape.layers(), shape.hiddenSize(), heads, shape.kvHeads(), shape.headDim(),
                    text.number("rope_theta", 10_000), (float) text.number("rms_norm_eps", 1e-6), shape.maxPositions(),
                    mropeSection);
        } catch (InvalidModelException e) {
            throw new FusionRefused(e.getMessage());
        }
    }

    /** M-RoPE's sections from {@code rope_scaling}; anything else (scaled or interleaved rotary) is refused. */
    private static List<Integer> mropeSection(ConfigJson scaling) throws FusionRefused {
        String type = scaling == null ? "" : scaling.string("type").or(() -> scaling.string("rope_type")).orElse("");
        if (scaling == null || !scaling.has("mrope_section") || scaling.bool("mrope_interleaved", false)
                || !(type.equals("mrope") || type.equals("default"))) {
            throw new FusionRefused("its rotary embedding is scaled (rope_scaling " + (scaling == null ? "" : scaling.json())
                    + "), neither plain nor M-RoPE");
        }
        try {
            double[] sections = scaling.threeNumbers("mrope_section");
            return List.of((int) sections[0], (int) sections[1], (int) sections[2]);
        } catch (InvalidModelException e) {
            throw new FusionRefused(e.getMessage());
        }
    }
}
