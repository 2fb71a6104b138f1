/*
 * io.glance.MatMulQ4Tiles, an ONNX Runtime custom operator: Y = A x W for A float32 [..., K] and W a 4-bit
 * linear layer in Glance's tile layout (q4_tiles.h): inputs A, the tiles (uint8), the scales (float32);
 * attributes K, N and gated (0 or 1: the weights' outputs are a SwiGLU layer's gate and up in alternate tiles,
 * q4_tiles.h); output float32 [..., N], or [..., N / 2] of SiLU(gate) · up when gated. One row of A (a decode
 * step) goes through the vector kernel, more rows (a prompt) through dequantized panels; both spread over the
 * session's intra-op threads.
 */
#include "custom_op.h"
#include "q4_tiles.h"

/* Tasks a call is cut into (fewer when it has fewer tiles): enough for two to eight threads to finish together. */
#define TASKS 16

typedef struct {
    int64_t K;
    int64_t N;
    int64_t gated;
    /* Whether the tiles and scales were found to be as large as K and N say (checked on the first call). */
    volatile int sizes_checked;
} Kernel;

/* One call's operands, shared by its tasks. */
typedef struct {
    const float *x;
    int M, K, N, gated;
    const uint32_t *weights;
    const float *scales;
    float *y;
    int tiles;
    int tiles_per_task;
    int failed;
} Call;

/* The first tile of `task`; *last gets the tile after its last. */
static int task_tiles(const Call *call, size_t task, int *last) {
    int first = (int)task * call->tiles_per_task;
    *last = first + call->tiles_per_task < call->tiles ? first + call->tiles_per_task : call->tiles;
    return first;
}

static void vector_task(void *data, size_t task) {
    Call *call = data;
    int last;
    int first = task_tiles(call, task, &last);
    q4_tiles_vector(call->x, call->K, call->N, call->weights, call->scales, first, last, call->gated, call->y);
}

static void rows_task(void *data, size_t task) {
    Call *call = data;
    int last;
    int first = task_tiles(call, task, &last);
    float *scratch = thread_scratch(Q4_TILES_ROWS_SCRATCH_FLOATS(call->K));
    if (scratch == NULL) {
        call->failed = 1;
        return;
    }
    q4_tiles_rows(call->x, call->M, call->K, call->N, call->weights, call->scales, first, last, call->gated, scratch,
                  call->y);
}

/* The number of elements of input `index`, or 0 (with *status set) when it cannot be read. */
static size_t input_elements(OrtKernelContext *context, size_t index, OrtStatus **status) {
    const OrtValue *value = NULL;
    OrtTensorTypeAndShapeInfo *shape = NULL;
    size_t count = 0;
    *status = ORT_API(api, KernelContext_GetInput)(context, index, &value);
    if (*status == NULL) {
        *status = ORT_API(api, GetTensorTypeAndShape)(value, &shape);
    }
    if (*status == NULL) {
        *status = ORT_API(api, GetTensorShapeElementCount)(shape, &count);
        ORT_API(api, ReleaseTensorTypeAndShapeInfo)(shape);
    }
    return count;
}

/* An error unless the tiles and scales hold what a layer of K inputs and N outputs needs; NULL when they do. */
static OrtStatus *check_sizes(OrtKernelContext *context, const Kernel *kernel) {
    OrtStatus *status = NULL;
    size_t tiles = (size_t)((kernel->N + 15) / 16);
    size_t weights = input_elements(context, 1, &status);
    if (status == NULL && weights != tiles * 16 * (size_t)kernel->K / 2) {
        return op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: %zu bytes of tiles for %lld × %lld weights", weights,
                        (long long)kernel->K, (long long)kernel->N);
    }
    size_t scales = status == NULL ? input_elements(context, 2, &status) : 0;
    if (status == NULL && scales != tiles * 16 * (size_t)kernel->K / 32) {
        return op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: %zu scales for %lld × %lld weights", scales,
                        (long long)kernel->K, (long long)kernel->N);
    }
    return status;
}

static OrtStatus *compute(void *state, OrtKernelContext *context) {
    Kernel *kernel = state;
    OrtStatus *status = NULL;
    if (!kernel->sizes_checked) {
        if ((status = check_sizes(context, kernel)) != NULL) {
            return status;
        }
        kernel->sizes_checked = 1;
    }
    size_t rank = 0;
    int64_t dims[8];
    if ((status = input_shape(context, 0, dims, &rank)) != NULL) {
        return status;
    }
    if (rank < 1) {
        return op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: A is a scalar");
    }
    if (dims[rank - 1] != kernel->K) {
        return op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: A has %lld columns, the layer %lld inputs",
                        (long long)dims[rank - 1], (long long)kernel->K);
    }
    long long rows = 1;
    for (size_t i = 0; i + 1 < rank; i++) {
        rows *= dims[i];
    }
    dims[rank - 1] = kernel->gated ? kernel->N / 2 : kernel->N;
    Call call = {.M = (int)rows, .K = (int)kernel->K, .N = (int)dims[rank - 1], .gated = (int)kernel->gated,
                 .tiles = (int)((kernel->N + 15) / 16)};
    call.x = input_data(context, 0, &status);
    if (status == NULL) {
        call.weights = input_data(context, 1, &status);
    }
    if (status == NULL) {
        call.scales = input_data(context, 2, &status);
    }
    OrtValue *y = NULL;
    if (status == NULL) {
        status = ORT_API(api, KernelContext_GetOutput)(context, 0, dims, rank, &y);
    }
    if (status == NULL) {
        status = ORT_API(api, GetTensorMutableData)(y, (void **)&call.y);
    }
    if (status != NULL || rows == 0) {
        return status;
    }
    int tasks;
    if (rows == 1) {
        call.tiles_per_task = (call.tiles + TASKS - 1) / TASKS;
        call.tiles_per_task += call.gated && call.tiles_per_task % 2 != 0;  /* a gated task takes whole pairs */
        tasks = (call.tiles + call.tiles_per_task - 1) / call.tiles_per_task;
        return ORT_API(api, KernelContext_ParallelFor)(context, vector_task, (size_t)tasks, 0, &call);
    }
    int panels = (call.tiles + PANEL_TILES - 1) / PANEL_TILES;
    call.tiles_per_task = (panels + TASKS - 1) / TASKS * PANEL_TILES;
    tasks = (call.tiles + call.tiles_per_task - 1) / call.tiles_per_task;
    status = ORT_API(api, KernelContext_ParallelFor)(context, rows_task, (size_t)tasks, 0, &call);
    if (status == NULL && call.failed) {
        status = op_error(ORT_FAIL, "MatMulQ4Tiles: no memory for the panels of %d inputs", call.K);
    }
    return status;
}

/* Reads and checks the node's attributes. */
static OrtStatus *configure(const OrtKernelInfo *info, void *state) {
    Kernel *kernel = state;
    OrtStatus *status = ORT_API(api, KernelInfoGetAttribute_int64)(info, "K", &kernel->K);
    if (status == NULL) {
        status = ORT_API(api, KernelInfoGetAttribute_int64)(info, "N", &kernel->N);
    }
    kernel->gated = op_optional_int(info, "gated", 0);  /* 0: a plain layer */
    if (status == NULL && kernel->gated && kernel->N % 32 != 0) {
        status = op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: a gated layer of %lld outputs (a multiple of 32 needed)",
                          (long long)kernel->N);
    }
    if (status == NULL && (kernel->K <= 0 || kernel->K % 32 != 0 || kernel->N <= 0)) {
        status = op_error(ORT_INVALID_ARGUMENT, "MatMulQ4Tiles: K = %lld (a multiple of 32 needed), N = %lld",
                          (long long)kernel->K, (long long)kernel->N);
    }
    return status;
}

static ONNXTensorElementDataType input_type(const OrtCustomOp *op, size_t index) {
    (void)op;
    return index == 1 ? ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 : ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
}

GlanceOp matmul_q4_tiles_op = GLANCE_CUSTOM_OP("MatMulQ4Tiles", 3, 1, input_type, Kernel, configure, compute);
