/**
 * Images in, pixels out: OpenCV decoding (EXIF orientation, alpha composited on white, huge images reduced, damaged
 * files refused) and the resamplers the families' preprocessing shares, each matching what the reference
 * (transformers.js) computes value for value: libvips's bicubic ({@link io.glance.vision.BicubicResampler}) and
 * Lanczos-3 resize ({@link io.glance.vision.LanczosResampler}) as sharp runs them, ONNX Runtime's bilinear
 * {@code Resize} on float planes ({@link io.glance.vision.BilinearPlaneResampler}), the edge-size rule
 * ({@link io.glance.vision.EdgeResize}) and normalization ({@link io.glance.vision.PixelNormalization}). Runs on
 * whatever thread calls it (the resamplers spread rows over the common fork-join pool); the FX thread never does.
 */
package io.glance.vision;
