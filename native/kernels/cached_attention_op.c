/*
 * io.glance.CachedAttention, an ONNX Runtime custom operator: the attention of a grouped-query decoder layer over a
 * KV cache that stays in place (cached_attention.h), in the place of GroupQueryAttention with a packed QKV, its
 * rotary embedding and a cache shared between past and present. Inputs: qkv float32 [1, S, (H + 2G) D], past key
 * and value float32 [1, G, capacity, D], seqlens_k int32 [1] (positions after this run, less one),
 * total_sequence_length int32 (unused: the cache's length comes from seqlens_k), cos and sin caches float32
 * [positions, D/2] (with the attribute rows_rotary = 1: [S, D/2], the angles of each row of the run, as M-RoPE
 * computes them); attributes num_heads (H) and kv_num_heads (G). Outputs: the attention float32 [1, S, H D] and
 * the present key and value, [1, G, max(capacity, positions after this run), D]. Where a present output is the past
 * input's memory (the engine binds them so) the new rows are written there and nothing is copied; elsewhere the past
 * rows are copied first. A call of fewer than PARALLEL_PAIRS (query head, position) pairs (a decode step at a short
 * context) runs on the calling thread; larger ones spread over the session's intra-op threads.
 */
#include "cached_attention.h"
#include "custom_op.h"

#include <string.h>

/* Below this many (query head, position) pairs a call runs on one thread: handing out tasks would cost more. */
#define PARALLEL_PAIRS 1024
/* Query rows per task of a prompt. */
#define TASK_ROWS 8

typedef struct {
    int64_t heads;
    int64_t kv_heads;
    int64_t rows_rotary;
} Kernel;

/* One call's operands, shared by its tasks. */
typedef struct {
    AttentionShape shape;
    const float *keys;
    const float *values;
    float *rows;
    int row_blocks;
    int failed;
} Call;

static void heads_task(void *data, size_t task) {
    Call *call = data;
    int h = (int)task / call->row_blocks;
    int first = (int)task % call->row_blocks * TASK_ROWS;
    int last = first + TASK_ROWS < call->shape.rows ? first + TASK_ROWS : call->shape.rows;
    float *scores = thread_scratch((size_t)call->shape.past + call->shape.rows + 16);
    if (scores == NULL) {
        call->failed = 1;
        return;
    }
    cached_attention_head(&call->shape, call->keys, call->values, h, first, last, scores, call->rows);
}

/* Present output `index`, [1, G, positions, D], holding the first `past` rows of each head of past, [1, G, rows, D]. */
static float *present(OrtKernelContext *context, size_t index, const int64_t *dims, const float *past_data,
                      int64_t past_rows, int64_t past, OrtStatus **status) {
    OrtValue *value = NULL;
    float *data = NULL;
    *status = ORT_API(api, KernelContext_GetOutput)(context, index, dims, 4, &value);
    if (*status == NULL) {
        *status = ORT_API(api, GetTensorMutableData)(value, (void **)&data);
    }
    if (*status != NULL) {
        return NULL;
    }
    if (data != past_data && past > 0) {
        for (int64_t g = 0; g < dims[1]; g++) {
            memcpy(data + g * dims[2] * dims[3], past_data + g * past_rows * dims[3],
                   (size_t)(past * dims[3]) * sizeof(float));
        }
    }
    return data;
}

static OrtStatus *compute(void *state, OrtKernelContext *context) {
    Kernel *kernel = state;
    int64_t qkv_dims[8], cache_dims[8], value_dims[8], seqlens_dims[8], table_dims[8], sin_dims[8];
    size_t qkv_rank = 0, cache_rank = 0, value_rank = 0, seqlens_rank = 0, table_rank = 0, sin_rank = 0;
    OrtStatus *status = input_shape(context, 0, qkv_dims, &qkv_rank);
    if (status == NULL) {
        status = input_shape(context, 1, cache_dims, &cache_rank);
    }
    if (status == NULL) {
        status = input_shape(context, 2, value_dims, &value_rank);
    }
    if (status == NULL) {
        status = input_shape(context, 3, seqlens_dims, &seqlens_rank);
    }
    if (status == NULL) {
        status = input_shape(context, 5, table_dims, &table_rank);
    }
    if (status == NULL) {
        status = input_shape(context, 6, sin_dims, &sin_rank);
    }
    if (status != NULL) {
        return status;
    }
    int64_t H = kernel->heads, G = kernel->kv_heads;
    if (qkv_rank != 3 || qkv_dims[0] != 1 || qkv_dims[2] % (H + 2 * G) != 0) {
        return op_error(ORT_INVALID_ARGUMENT, "CachedAttention: qkv is not [1, rows, (%lld + 2 × %lld) × head size]",
                        (long long)H, (long long)G);
    }
    int64_t D = qkv_dims[2] / (H + 2 * G);
    if (D % 16 != 0 || D > 256) {
        return op_error(ORT_INVALID_ARGUMENT, "CachedAttention: head size %lld (a multiple of 16 up to 256 taken)",
                        (long long)D);
    }
    if (cache_rank != 4 || cache_dims[0] != 1 || cache_dims[1] != G || cache_dims[3] != D || value_rank != 4
        || value_dims[0] != 1 || value_dims[1] != G || value_dims[2] != cache_dims[2] || value_dims[3] != D) {
        return op_error(ORT_INVALID_ARGUMENT,
                        "CachedAttention: the past key and value are not both [1, %lld, positions, %lld]", (long long)G,
                        (long long)D);
    }
    if (table_rank != 2 || table_dims[1] != D / 2 || sin_rank != 2 || sin_dims[0] != table_dims[0]
        || sin_dims[1] != D / 2) {
        return op_error(ORT_INVALID_ARGUMENT, "CachedAttention: cos and sin are not both [positions, %lld]",
                        (long long)(D / 2));
    }
    if (seqlens_rank != 1 || seqlens_dims[0] != 1) {
        return op_error(ORT_INVALID_ARGUMENT, "CachedAttention: seqlens_k is not one length (batch 1)");
    }
    const int32_t *seqlens = input_data(context, 3, &status);
    if (status != NULL) {
        return status;
    }
    int64_t rows = qkv_dims[1], total = (int64_t)seqlens[0] + 1, past = total - rows;
    if (past < 0 || past > cache_dims[2] || (kernel->rows_rotary ? rows : total) > table_dims[0]) {
        return op_error(ORT_INVALID_ARGUMENT,
                        "CachedAttention: %lld positions after this run of %lld rows, with %lld rows in the past cache "
                        "and %lld in the rotary tables",
                        (long long)total, (long long)rows, (long long)cache_dims[2], (long long)table_dims[0]);
    }
    int64_t present_dims[4] = {1, G, total > cache_dims[2] ? total : cache_dims[2], D};
    Call call = {.shape = {.heads = (int)H, .kv_heads = (int)G, .head_dim = (int)D, .rows = (int)rows,
                           .past = (int)past, .capacity = (int)present_dims[2],
                           .rows_rotary = (int)kernel->rows_rotary}};
    const float *qkv = input_data(context, 0, &status);
    const float *past_keys = status == NULL ? input_data(context, 1, &status) : NULL;
    const float *past_values = status == NULL ? input_data(context, 2, &status) : NULL;
    const float *cos = status == NULL ? input_data(context, 5, &status) : NULL;
    const float *sin = status == NULL ? input_data(context, 6, &status) : NULL;
    float *keys = status == NULL ? present(context, 1, present_dims, past_keys, cache_dims[2], past, &status) : NULL;
    float *values =
        status == NULL ? present(context, 2, present_dims, past_values, cache_dims[2], past, &status) : NULL;
    int64_t out_dims[3] = {1, rows, H * D};
    OrtValue *out = NULL;
    if (status == NULL) {
        status = ORT_API(api, KernelContext_GetOutput)(context, 0, out_dims, 3, &out);
    }
    if (status == NULL) {
        status = ORT_API(api, GetTensorMutableData)(out, (void **)&call.rows);
    }
    if (status != NULL || rows == 0) {
        return status;
    }
    cached_attention_append(&call.shape, qkv, cos, sin, call.rows, keys, values);
    call.keys = keys;
    call.values = values;
    call.row_blocks = (int)((rows + TASK_ROWS - 1) / TASK_ROWS);
    size_t tasks = (size_t)H * call.row_blocks;
    if (rows * H * total < PARALLEL_PAIRS) {
        for (size_t task = 0; task < tasks; task++) {
            heads_task(&call, task);
        }
    } else {
        status = ORT_API(api, KernelContext_ParallelFor)(context, heads_task, tasks, 0, &call);
    }
    if (status == NULL && call.failed) {
        status = op_error(ORT_FAIL, "CachedAttention: no memory for the scores of %lld positions", (long long)total);
    }
    return status;
}

/* Reads and checks the node's attributes. */
static OrtStatus *configure(const OrtKernelInfo *info, void *state) {
    Kernel *kernel = state;
    OrtStatus *status = ORT_API(api, KernelInfoGetAttribute_int64)(info, "num_heads", &kernel->heads);
    if (status == NULL) {
        status = ORT_API(api, KernelInfoGetAttribute_int64)(info, "kv_num_heads", &kernel->kv_heads);
    }
    kernel->rows_rotary = op_optional_int(info, "rows_rotary", 0);  /* 0: tables of positions */
    if (status == NULL && (kernel->heads <= 0 || kernel->kv_heads <= 0 || kernel->heads % kernel->kv_heads != 0)) {
        status = op_error(ORT_INVALID_ARGUMENT, "CachedAttention: %lld query heads over %lld key heads",
                          (long long)kernel->heads, (long long)kernel->kv_heads);
    }
    return status;
}

static ONNXTensorElementDataType input_type(const OrtCustomOp *op, size_t index) {
    (void)op;
    return index == 3 || index == 4 ? ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 : ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
}

GlanceOp cached_attention_op = GLANCE_CUSTOM_OP("CachedAttention", 7, 3, input_type, Kernel, configure, compute);
