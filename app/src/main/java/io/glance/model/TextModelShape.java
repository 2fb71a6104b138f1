package io.glance.model;

/**
 * The decoder's dimensions, read from {@code config.json}'s {@code text_config} (or its top level, as {@code qwen2_vl} keeps them). Immutable.
 *
 * @param hiddenSize width of {@code inputs_embeds}
 * @param layers     number of decoder layers, i.e. of {@code past_key_values.{i}} pairs
 * @param kvHeads    key/value heads per layer
 * @param headDim    width of one head
 * @param vocabSize  logits per position
 * @param maxPositions the longest sequence the decoder reads ({@code max_position_embeddings}; unbounded when
 *                   the config does not say)
 */
public record TextModelShape(int hiddenSize, int layers, int kvHeads, int headDim, int vocabSize, int maxPositions) {
}
