#include "cached_attention.h"

#include "avx512_exp.h"

#include <math.h>

static void rotate(const float *x, const float *cos, const float *sin, int half, float *y) {
    for (int i = 0; i < half; i++) {
        float first = x[i], second = x[i + half];
        y[i] = first * cos[i] - second * sin[i];
        y[i + half] = second * cos[i] + first * sin[i];
    }
}

void cached_attention_append(const AttentionShape *shape, const float *qkv, const float *cos, const float *sin,
                             float *queries, float *keys, float *values) {
    int H = shape->heads, G = shape->kv_heads, D = shape->head_dim, half = D / 2;
    size_t width = (size_t)(H + 2 * G) * D;
    for (int s = 0; s < shape->rows; s++) {
        int position = shape->past + s;
        const float *row = qkv + (size_t)s * width;
        size_t angles = (size_t)(shape->rows_rotary ? s : position) * half;
        const float *row_cos = cos + angles, *row_sin = sin + angles;
        for (int h = 0; h < H; h++) {
            rotate(row + (size_t)h * D, row_cos, row_sin, half, queries + ((size_t)s * H + h) * D);
        }
        for (int g = 0; g < G; g++) {
            size_t at = ((size_t)g * shape->capacity + position) * D;
            rotate(row + (size_t)(H + g) * D, row_cos, row_sin, half, keys + at);
            const float *value = row + (size_t)(H + G + g) * D;
            for (int d = 0; d < D; d++) {
                values[at + d] = value[d];
            }
        }
    }
}

/* The mask of the first `count` (0 to 16) lanes. */
static __mmask16 first_lanes(int count) {
    return count >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << count) - 1);
}

/* Turns scores[0 .. n) into e^(score - max) and gives 1 / their sum. */
AVX512 static float softmax_numerators(float *scores, int n) {
    __m512 highest = _mm512_set1_ps(-INFINITY);
    for (int j = 0; j < n; j += 16) {
        __m512 block = _mm512_mask_loadu_ps(_mm512_set1_ps(-INFINITY), first_lanes(n - j), scores + j);
        highest = _mm512_max_ps(highest, block);
    }
    __m512 max = _mm512_set1_ps(_mm512_reduce_max_ps(highest));
    __m512 sum = _mm512_setzero_ps();
    for (int j = 0; j < n; j += 16) {
        __mmask16 lanes = first_lanes(n - j);
        __m512 e = _mm512_maskz_mov_ps(lanes, exp_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(lanes, scores + j), max)));
        _mm512_mask_storeu_ps(scores + j, lanes, e);
        sum = _mm512_add_ps(sum, e);
    }
    return 1.0f / _mm512_reduce_add_ps(sum);
}

/* The sums of v[0] ... v[15], in lanes 0 ... 15: pairs, then quads within each 128-bit lane, then across lanes. */
AVX512 static inline __m512 sums_of_16(const __m512 *v) {
    __m512 pairs[8], quads[4];
    for (int i = 0; i < 8; i++) {
        pairs[i] =
            _mm512_add_ps(_mm512_unpacklo_ps(v[2 * i], v[2 * i + 1]), _mm512_unpackhi_ps(v[2 * i], v[2 * i + 1]));
    }
    for (int i = 0; i < 4; i++) {
        quads[i] = _mm512_add_ps(_mm512_shuffle_ps(pairs[2 * i], pairs[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                                 _mm512_shuffle_ps(pairs[2 * i], pairs[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    }
    __m512 low = _mm512_add_ps(_mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(2, 0, 2, 0)),
                               _mm512_shuffle_f32x4(quads[0], quads[1], _MM_SHUFFLE(3, 1, 3, 1)));
    __m512 high = _mm512_add_ps(_mm512_shuffle_f32x4(quads[2], quads[3], _MM_SHUFFLE(2, 0, 2, 0)),
                                _mm512_shuffle_f32x4(quads[2], quads[3], _MM_SHUFFLE(3, 1, 3, 1)));
    return _mm512_add_ps(_mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(2, 0, 2, 0)),
                         _mm512_shuffle_f32x4(low, high, _MM_SHUFFLE(3, 1, 3, 1)));
}

/*
 * One query head's attention over the first n positions of its kv head, D a compile-time constant where this is
 * inlined: the query's and the result's D floats stay in registers.
 */
AVX512 static inline __attribute__((always_inline)) void attend(const float *keys, const float *values, int n, int D,
                                                                float *scores, float *row) {
    enum { MAX_CHUNKS = 16 };
    int chunks = D / 16;
    __m512 q[MAX_CHUNKS], acc[MAX_CHUNKS];
    float scale = 1.0f / sqrtf((float)D);
    for (int c = 0; c < chunks; c++) {
        q[c] = _mm512_mul_ps(_mm512_loadu_ps(row + 16 * c), _mm512_set1_ps(scale));
        acc[c] = _mm512_setzero_ps();
    }
    int j = 0;
    for (; j + 16 <= n; j += 16) {
        __m512 dots[16];
        for (int i = 0; i < 16; i++) {
            const float *key = keys + (size_t)(j + i) * D;
            dots[i] = _mm512_mul_ps(q[0], _mm512_loadu_ps(key));
            for (int c = 1; c < chunks; c++) {
                dots[i] = _mm512_fmadd_ps(q[c], _mm512_loadu_ps(key + 16 * c), dots[i]);
            }
        }
        _mm512_storeu_ps(scores + j, sums_of_16(dots));
    }
    for (; j < n; j++) {
        const float *key = keys + (size_t)j * D;
        __m512 dot = _mm512_mul_ps(q[0], _mm512_loadu_ps(key));
        for (int c = 1; c < chunks; c++) {
            dot = _mm512_fmadd_ps(q[c], _mm512_loadu_ps(key + 16 * c), dot);
        }
        scores[j] = _mm512_reduce_add_ps(dot);
    }
    __m512 normalizer = _mm512_set1_ps(softmax_numerators(scores, n));
    for (int j = 0; j < n; j++) {
        const float *value = values + (size_t)j * D;
        __m512 weight = _mm512_set1_ps(scores[j]);
        for (int c = 0; c < chunks; c++) {
            acc[c] = _mm512_fmadd_ps(weight, _mm512_loadu_ps(value + 16 * c), acc[c]);
        }
    }
    for (int c = 0; c < chunks; c++) {
        _mm512_storeu_ps(row + 16 * c, _mm512_mul_ps(acc[c], normalizer));
    }
}

AVX512 void cached_attention_head(const AttentionShape *shape, const float *keys, const float *values, int h, int first,
                                  int last, float *scores, float *rows) {
    int H = shape->heads, D = shape->head_dim, g = h / (H / shape->kv_heads);
    const float *head_keys = keys + (size_t)g * shape->capacity * D;
    const float *head_values = values + (size_t)g * shape->capacity * D;
    for (int s = first; s < last; s++) {
        float *row = rows + ((size_t)s * H + h) * D;
        if (D == 64) {
            attend(head_keys, head_values, shape->past + s + 1, 64, scores, row);
        } else {
            attend(head_keys, head_values, shape->past + s + 1, D, scores, row);
        }
    }
}
