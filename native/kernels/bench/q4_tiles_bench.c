/*
 * Times the tile kernels (../q4_tiles.c) on one thread against a kernel that converts every weight to a float
 * and multiplies (the way ONNX Runtime's MatMulNBits computes in float32), on the same weights in the same
 * layout, and checks both against a sum in double precision. Random weights, inputs in [-0.5, 0.5).
 *
 * Usage: q4_tiles_bench ROWS INPUTS OUTPUTS REPEATS      (see run.sh)
 * Prints one line: the layer, each kernel's time per product and GMAC/s, the largest error of each.
 */
#define _POSIX_C_SOURCE 200112L

#include "../q4_tiles.h"

#include <immintrin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec + now.tv_nsec * 1e-9;
}

/* One row through "convert, then multiply": each group of 8 inputs' 4-bit values made floats, then fused multiply-adds. */
__attribute__((target("avx512f"))) static void convert_and_multiply(const float *x, int K, int N, const uint32_t *weights,
                                                                   const float *scales, float *y) {
    const __m512i low4 = _mm512_set1_epi32(15);
    const __m512 eight = _mm512_set1_ps(8);
    int blocks = K / 32;
    for (int t = 0; t < (N + 15) / 16; t++) {
        __m512 out = _mm512_setzero_ps();
        for (int b = 0; b < blocks; b++) {
            __m512 scale = _mm512_loadu_ps(scales + ((size_t)t * blocks + b) * 16);
            __m512 sum = _mm512_setzero_ps();
            for (int g = 0; g < 4; g++) {
                __m512i group = _mm512_loadu_si512(weights + (((size_t)t * blocks + b) * 4 + g) * 16);
                for (int r = 0; r < 8; r++) {
                    __m512 q = _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(group, 4 * r), low4));
                    __m512 w = _mm512_mul_ps(_mm512_sub_ps(q, eight), scale);
                    sum = _mm512_fmadd_ps(_mm512_set1_ps(x[b * 32 + g * 8 + r]), w, sum);
                }
            }
            out = _mm512_add_ps(out, sum);
        }
        _mm512_mask_storeu_ps(y + 16 * t, N - 16 * t >= 16 ? 0xFFFF : (__mmask16)((1u << (N - 16 * t)) - 1), out);
    }
}

/* The largest |y - exact| over M rows, with exact summed in double from the 4-bit values q[n][k]. */
static double largest_error(const float *x, int M, int K, int N, const uint8_t *q, const float *scale, const float *y) {
    double worst = 0;
    for (int m = 0; m < M; m++) {
        for (int n = 0; n < N; n++) {
            double exact = 0;
            for (int k = 0; k < K; k++) {
                exact += (double)x[(size_t)m * K + k] * ((q[(size_t)n * K + k] - 8) * (double)scale[(size_t)n * (K / 32) + k / 32]);
            }
            worst = fmax(worst, fabs(exact - y[(size_t)m * N + n]));
        }
    }
    return worst;
}

int main(int argc, char **argv) {
    if (argc != 5 || !q4_tiles_supported()) {
        fprintf(stderr, argc != 5 ? "usage: q4_tiles_bench ROWS INPUTS OUTPUTS REPEATS\n" : "this CPU has no AVX-512\n");
        return 2;
    }
    int M = atoi(argv[1]), K = atoi(argv[2]), N = atoi(argv[3]), repeats = atoi(argv[4]);
    int tiles = (N + 15) / 16, blocks = K / 32;
    uint8_t *q = calloc((size_t)tiles * 16 * K, 1);
    float *scale = calloc((size_t)tiles * 16 * blocks, sizeof(float));
    uint32_t *weights = aligned_alloc(64, (size_t)tiles * 16 * K / 2);
    float *tile_scales = aligned_alloc(64, (size_t)tiles * blocks * 16 * sizeof(float));
    float *x = aligned_alloc(64, ((size_t)M * K * sizeof(float) + 63) / 64 * 64);
    float *y = aligned_alloc(64, ((size_t)M * N + 16) * sizeof(float));
    float *scratch = aligned_alloc(64, (Q4_TILES_ROWS_SCRATCH_FLOATS(K) * sizeof(float) + 63) / 64 * 64);
    srand(17);
    for (size_t i = 0; i < (size_t)N * K; i++) {
        q[i] = rand() & 15;
    }
    for (size_t i = 0; i < (size_t)N * blocks; i++) {
        scale[i] = 0.01f + 0.01f * rand() / RAND_MAX;
    }
    for (size_t i = 0; i < (size_t)M * K; i++) {
        x[i] = (float)rand() / RAND_MAX - 0.5f;
    }
    for (int t = 0; t < tiles; t++) {
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 16; j++) {
                int n = 16 * t + j;
                tile_scales[((size_t)t * blocks + b) * 16 + j] = n < N ? scale[(size_t)n * blocks + b] : 0;
                for (int g = 0; g < 4; g++) {
                    uint32_t word = 0;
                    for (int r = 0; r < 8; r++) {
                        word |= (uint32_t)q[(size_t)n * K + b * 32 + g * 8 + r] << (4 * r);
                    }
                    weights[(((size_t)t * blocks + b) * 4 + g) * 16 + j] = word;
                }
            }
        }
    }
    double start = seconds();
    for (int i = 0; i < repeats; i++) {
        if (M == 1) {
            q4_tiles_vector(x, K, N, weights, tile_scales, 0, tiles, 0, y);
        } else {
            q4_tiles_rows(x, M, K, N, weights, tile_scales, 0, tiles, 0, scratch, y);
        }
    }
    double tiled = (seconds() - start) / repeats;
    double tiled_error = largest_error(x, M, K, N, q, scale, y);
    start = seconds();
    for (int i = 0; i < repeats; i++) {
        for (int m = 0; m < M; m++) {
            convert_and_multiply(x + (size_t)m * K, K, N, weights, tile_scales, y + (size_t)m * N);
        }
    }
    double converted = (seconds() - start) / repeats;
    double converted_error = largest_error(x, M, K, N, q, scale, y);
    double macs = (double)M * K * N;
    printf("%d x %d -> %d: tile kernel %.1f us (%.1f GMAC/s, largest error %.1e), convert and multiply %.1f us"
           " (%.1f GMAC/s, %.1e)\n", M, K, N, tiled * 1e6, macs / tiled / 1e9, tiled_error, converted * 1e6,
           macs / converted / 1e9, converted_error);
    return 0;
}
