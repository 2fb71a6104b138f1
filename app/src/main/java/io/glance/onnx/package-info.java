/**
 * The model port on ONNX Runtime: the three sessions with provider fallback (CUDA → DirectML → CoreML →
 * CPU), graph contract checks, and the KV cache that feeds each step's {@code present.*} back as
 * {@code past_key_values.*} without copying. The only package that imports {@code ai.onnxruntime}.
 * Confined to the inference thread, except model loading, which may run on any one thread.
 */
package io.glance.onnx;
