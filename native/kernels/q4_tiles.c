#include "q4_tiles.h"

#include "avx512_exp.h"

int q4_tiles_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}

static size_t tile_words(int K) {
    return (size_t)K / 32 * 64;
}

static size_t tile_scales(int K) {
    return (size_t)K / 32 * 16;
}

/* The mask of the outputs of tile t that exist. */
static __mmask16 present(int N, int t) {
    int left = N - 16 * t;
    return left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
}

/* q - 8 of the 4-bit fields at bit `shift` of 16 words, as floats: vpermps reads the low 4 bits of each index. */
#define CENTERED(words, shift) _mm512_permutexvar_ps(_mm512_srli_epi32(words, shift), centered)

/* One group of 8 inputs, their fields low to high in each word. Four sums keep the multiply-adds independent. */
#define GROUP(words, x, s0, s1, s2, s3)                                          \
    do {                                                                         \
        s0 = _mm512_fmadd_ps(CENTERED(words, 0), _mm512_set1_ps((x)[0]), s0);   \
        s1 = _mm512_fmadd_ps(CENTERED(words, 4), _mm512_set1_ps((x)[1]), s1);   \
        s2 = _mm512_fmadd_ps(CENTERED(words, 8), _mm512_set1_ps((x)[2]), s2);   \
        s3 = _mm512_fmadd_ps(CENTERED(words, 12), _mm512_set1_ps((x)[3]), s3);  \
        s0 = _mm512_fmadd_ps(CENTERED(words, 16), _mm512_set1_ps((x)[4]), s0);  \
        s1 = _mm512_fmadd_ps(CENTERED(words, 20), _mm512_set1_ps((x)[5]), s1);  \
        s2 = _mm512_fmadd_ps(CENTERED(words, 24), _mm512_set1_ps((x)[6]), s2);  \
        s3 = _mm512_fmadd_ps(CENTERED(words, 28), _mm512_set1_ps((x)[7]), s3);  \
    } while (0)

/* The 16 outputs of tile t for one input vector. */
AVX512 static inline __m512 tile_product(const float *x, int K, const uint32_t *weights, const float *scales, int t) {
    const __m512 centered = _mm512_setr_ps(-8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7);
    const uint32_t *words = weights + (size_t)t * tile_words(K);
    const float *tile_scale = scales + (size_t)t * tile_scales(K);
    __m512 out = _mm512_setzero_ps();
    for (int b = 0; b < K / 32; b++) {
        const float *block_x = x + (size_t)b * 32;
        const uint32_t *block = words + (size_t)b * 64;
        __m512 s0 = _mm512_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
        GROUP(_mm512_loadu_si512(block), block_x, s0, s1, s2, s3);
        GROUP(_mm512_loadu_si512(block + 16), block_x + 8, s0, s1, s2, s3);
        GROUP(_mm512_loadu_si512(block + 32), block_x + 16, s0, s1, s2, s3);
        GROUP(_mm512_loadu_si512(block + 48), block_x + 24, s0, s1, s2, s3);
        __m512 sum = _mm512_add_ps(_mm512_add_ps(s0, s1), _mm512_add_ps(s2, s3));
        out = _mm512_fmadd_ps(sum, _mm512_loadu_ps(tile_scale + (size_t)b * 16), out);
    }
    return out;
}

/* SiLU(gate) · up = gate / (1 + e^-gate) · up. */
AVX512 static inline __m512 gated_ps(__m512 gate, __m512 up) {
    __m512 denominator = _mm512_add_ps(_mm512_set1_ps(1.0f), exp_ps(_mm512_sub_ps(_mm512_setzero_ps(), gate)));
    __m512 silu = _mm512_div_ps(gate, denominator);
    return _mm512_mul_ps(silu, up);
}

AVX512 void q4_tiles_vector(const float *x, int K, int N, const uint32_t *weights, const float *scales, int first,
                            int last, int gated, float *y) {
    if (!gated) {
        for (int t = first; t < last; t++) {
            _mm512_mask_storeu_ps(y + 16 * (size_t)t, present(N, t), tile_product(x, K, weights, scales, t));
        }
        return;
    }
    for (int t = first; t + 1 < last; t += 2) {
        __m512 gate = tile_product(x, K, weights, scales, t);
        __m512 up = tile_product(x, K, weights, scales, t + 1);
        _mm512_mask_storeu_ps(y + 8 * (size_t)t, present(N, t / 2), gated_ps(gate, up));
    }
}

/*
 * panel[k][16i + j] = (q - 8) * scale of output j of tile first + i (i < count) and input k; the columns of the
 * PANEL_TILES - count tiles past them are zero.
 */
AVX512 static void dequantize_tiles(const uint32_t *weights, const float *scales, int K, int first, int count,
                                    float *panel) {
    const __m512i low4 = _mm512_set1_epi32(15);
    const __m512 eight = _mm512_set1_ps(8);
    for (int i = 0; i < PANEL_TILES; i++) {
        const uint32_t *words = weights + (size_t)(first + i) * tile_words(K);
        const float *tile_scale = scales + (size_t)(first + i) * tile_scales(K);
        for (int b = 0; b < K / 32; b++) {
            __m512 scale = i < count ? _mm512_loadu_ps(tile_scale + (size_t)b * 16) : _mm512_setzero_ps();
            for (int g = 0; g < 4; g++) {
                __m512i group = i < count ? _mm512_loadu_si512(words + (size_t)b * 64 + g * 16) : _mm512_setzero_si512();
                float *rows = panel + ((size_t)b * 32 + g * 8) * PANEL_WIDTH + 16 * i;
                for (int r = 0; r < 8; r++) {
                    __m512 q = _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srli_epi32(group, 4 * r), low4));
                    _mm512_store_ps(rows + PANEL_WIDTH * r, _mm512_mul_ps(_mm512_sub_ps(q, eight), scale));
                }
            }
        }
    }
}

/*
 * PANEL_ROWS rows of x (rows apart by K floats) against a dequantized panel; stores the first `rows` of them, the
 * outputs of the panel's first `count` tiles.
 */
AVX512 static void panel_product(const float *x, int K, int N, const float *panel, int first, int count, int rows,
                                 int gated, float *y) {
    __m512 sum[PANEL_ROWS][PANEL_TILES];
    for (int r = 0; r < PANEL_ROWS; r++) {
        for (int i = 0; i < PANEL_TILES; i++) {
            sum[r][i] = _mm512_setzero_ps();
        }
    }
    for (int k = 0; k < K; k++) {
        const float *w = panel + (size_t)k * PANEL_WIDTH;
        __m512 w0 = _mm512_load_ps(w), w1 = _mm512_load_ps(w + 16), w2 = _mm512_load_ps(w + 32),
               w3 = _mm512_load_ps(w + 48);
        for (int r = 0; r < PANEL_ROWS; r++) {
            __m512 a = _mm512_set1_ps(x[(size_t)r * K + k]);
            sum[r][0] = _mm512_fmadd_ps(a, w0, sum[r][0]);
            sum[r][1] = _mm512_fmadd_ps(a, w1, sum[r][1]);
            sum[r][2] = _mm512_fmadd_ps(a, w2, sum[r][2]);
            sum[r][3] = _mm512_fmadd_ps(a, w3, sum[r][3]);
        }
    }
    for (int r = 0; r < rows; r++) {
        if (gated) {
            for (int i = 0; i + 1 < count; i += 2) {
                int pair = (first + i) / 2;
                _mm512_mask_storeu_ps(y + (size_t)r * N + 16 * (size_t)pair, present(N, pair),
                                      gated_ps(sum[r][i], sum[r][i + 1]));
            }
            continue;
        }
        for (int i = 0; i < count; i++) {
            _mm512_mask_storeu_ps(y + (size_t)r * N + 16 * (size_t)(first + i), present(N, first + i), sum[r][i]);
        }
    }
}

AVX512 void q4_tiles_rows(const float *x, int M, int K, int N, const uint32_t *weights, const float *scales, int first,
                          int last, int gated, float *scratch, float *y) {
    float *panel = scratch;
    float *tail = scratch + (size_t)K * PANEL_WIDTH;
    for (int t = first; t < last; t += PANEL_TILES) {
        int count = last - t < PANEL_TILES ? last - t : PANEL_TILES;
        dequantize_tiles(weights, scales, K, t, count, panel);
        int m = 0;
        for (; m + PANEL_ROWS <= M; m += PANEL_ROWS) {
            panel_product(x + (size_t)m * K, K, N, panel, t, count, PANEL_ROWS, gated, y + (size_t)m * N);
        }
        if (m < M) {
            for (size_t i = 0; i < (size_t)PANEL_ROWS * K; i++) {
                tail[i] = i < (size_t)(M - m) * K ? x[(size_t)m * K + i] : 0.0f;
            }
            panel_product(tail, K, N, panel, t, count, M - m, gated, y + (size_t)m * N);
        }
    }
}
