package io.glance.onnx.fusion;

import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.TextModelShape;

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
 */
record DecoderSettings(int layers, int hidden, int heads, int kvHeads, int headDim, double ropeTheta, float rmsNormEps,
                       int rotaryPositions) {
    /** The longest rotary table written (8 MB per table at head dim 128). */
    private static final int MAX_ROTARY_POSITIONS = 1 << 15;

    /** Reads the settings of {@code folder}, refusing rotary embeddings other than plain RoPE. */
    static DecoderSettings read(ModelFolder folder) throws FusionRefused {
        ConfigJson config = folder.config();
        ConfigJson text = config.optionalObject("text_config").orElse(config);
        if (text.has("rope_scaling")) {
            throw new FusionRefused("its rotary embedding is scaled (rope_scaling), not GroupQueryAttention's plain one");
        }
        TextModelShape shape = folder.textShape();
        if (shape.maxPositions() > MAX_ROTARY_POSITIONS) {
            throw new FusionRefused("config.json gives no max_position_embeddings up to " + MAX_ROTARY_POSITIONS);
        }
        try {
            int heads = text.integer("num_attention_heads");
            return new DecoderSettings(shape.layers(), shape.hiddenSize(), heads, shape.kvHeads(), shape.headDim(),
                    text.number("rope_theta", 10_000), (float) text.number("rms_norm_eps", 1e-6), shape.maxPositions());
        } catch (InvalidModelException e) {
            throw new FusionRefused(e.getMessage());
        }
    }
}
