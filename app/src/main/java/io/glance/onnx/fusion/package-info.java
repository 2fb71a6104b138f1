/**
 * The fused decoder: a published Llama-style decoder graph rewritten into ONNX Runtime's fused contrib operators
 * (GroupQueryAttention with its rotary embedding, SkipSimplifiedLayerNormalization, one MatMul for Q, K and V and
 * one for gate and up), with the published graph's inputs and outputs, checked against the published graph on a
 * probe before it is used, and cached. The published files are never changed. Reads and writes ONNX through the
 * protobuf classes of {@code io.glance.onnx.proto}.
 */
package io.glance.onnx.fusion;
