/**
 * Images in, encoder tensors out: OpenCV decoding (EXIF orientation, alpha composited on white, huge
 * images reduced) and the Idefics3 preprocessing (longest-edge resize, tiles plus global image,
 * normalization, CHW). Runs on whatever thread calls it; the FX thread never does.
 */
package io.glance.vision;
