/*
 * Causal attention of grouped-query models over a KV cache kept in place, computed in float32 with AVX-512.
 *
 * A run appends S rows to a cache that holds `past` positions. Each row of qkv ([S][(H + 2G) D]) holds H query
 * heads, then G key heads, then G value heads, D floats each; query head h reads key/value head h / (H / G). The
 * cache is [G][capacity][D] for keys and the same for values (ONNX Runtime's GroupQueryAttention layout, batch 1).
 * The rotary embedding is the non-interleaved one: x[i] and x[i + D/2] turn by the angle of pair i, from tables cos
 * and sin of D/2 per row: one row per position, or (rows_rotary, for M-RoPE, whose angles come from three position
 * rows) one row per row of the run. Row s is at position past + s and attends to positions 0 ... past + s; scores
 * are scaled by 1/√D.
 *
 * Functions here are pure: callers give every buffer; cached_attention_head may run for different (query head,
 * rows) ranges on different threads at once, after cached_attention_append has finished.
 */
#ifndef GLANCE_CACHED_ATTENTION_H
#define GLANCE_CACHED_ATTENTION_H

#include <stddef.h>

/* The shapes of one run. */
typedef struct {
    int heads;     /* H */
    int kv_heads;  /* G, dividing H */
    int head_dim;  /* D, a multiple of 16 */
    int rows;      /* S */
    int past;      /* positions in the cache before this run */
    int capacity;  /* positions each head of the cache has room for, at least past + S */
    int rows_rotary; /* 1: the rotary tables hold the run's rows; 0: all positions */
} AttentionShape;

/*
 * Rotates the run's query heads into queries ([S][H][D]) and its key heads into the cache at positions past ...
 * past + S - 1, and copies its value heads there.
 */
void cached_attention_append(const AttentionShape *shape, const float *qkv, const float *cos, const float *sin,
                             float *queries, float *keys, float *values);

/*
 * The attention of query head h for rows [first, last): reads its rotated queries from rows ([S][H][D]) and writes
 * its result in their place. scores holds past + S + 16 floats.
 */
void cached_attention_head(const AttentionShape *shape, const float *keys, const float *values, int h, int first,
                           int last, float *scores, float *rows);

#endif
