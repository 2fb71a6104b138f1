/*
 * 4-bit linear layers in Glance's tile layout, computed in float32 with AVX-512.
 *
 * A layer has K inputs and N outputs; its weight of output n and input k is (q - 8) * scale, q a 4-bit value and
 * scale shared by the 32 inputs of a block (K is a multiple of 32). The weights are kept in tiles of 16 outputs:
 * for tile t and block b, 4 groups of 16 uint32 words; word j of group g holds the values q of output 16t + j for
 * the inputs 32b + 8g ... 32b + 8g + 7, input 32b + 8g + r in bits 4r ... 4r + 3 (the byte order of
 * ONNX Runtime's MatMulNBits blocks, read as words). Scales are [tiles][blocks][16] floats. Outputs past N in the
 * last tile have zero scales.
 *
 * A gated layer (SwiGLU's gate and up projections in one) has its gate and up outputs in alternate tiles: tile 2p
 * holds gate outputs 16p ... 16p + 15 and tile 2p + 1 the up outputs of the same positions; its result is
 * SiLU(gate) · up, one output per pair of weight outputs, and its ranges of tiles start and end at even tiles.
 *
 * Functions here are pure: callers give every buffer, and ranges of tiles may run on different threads at once.
 */
#ifndef GLANCE_Q4_TILES_H
#define GLANCE_Q4_TILES_H

#include <stddef.h>
#include <stdint.h>

/* Tiles that q4_tiles_rows dequantizes together, and rows of x it takes at a time. */
#define PANEL_TILES 4
#define PANEL_ROWS 6
#define PANEL_WIDTH (16 * PANEL_TILES)
/* Floats of scratch that q4_tiles_rows needs per call: PANEL_TILES dequantized tiles and PANEL_ROWS rows of x. */
#define Q4_TILES_ROWS_SCRATCH_FLOATS(K) ((size_t)(K) * (PANEL_WIDTH + PANEL_ROWS))

/* Whether this CPU runs the kernels (AVX-512 F). */
int q4_tiles_supported(void);

/*
 * y[16t + j] for the tiles t in [first, last) of one input vector x; N is y's width (the layer's outputs, or half of
 * them when gated).
 */
void q4_tiles_vector(const float *x, int K, int N, const uint32_t *weights, const float *scales, int first, int last,
                     int gated, float *y);

/*
 * y[m * N + n] for M rows of x ([M][K]) and the tiles t in [first, last) (N as above); scratch holds
 * Q4_TILES_ROWS_SCRATCH_FLOATS(K) floats, 64-byte aligned. Ranges that start at multiples of PANEL_TILES work best.
 */
void q4_tiles_rows(const float *x, int M, int K, int N, const uint32_t *weights, const float *scales, int first,
                   int last, int gated, float *scratch, float *y);

#endif
