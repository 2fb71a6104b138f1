/*
 * What Glance's ONNX Runtime operators share: the API table, errors, per-thread scratch, reading inputs, and the
 * OrtCustomOp callbacks that are the same for every operator (CPU, required inputs and outputs, opset 1 on).
 * RegisterCustomOps (custom_op.c), the library's entry point, adds the operators listed at the end.
 */
#ifndef GLANCE_CUSTOM_OP_H
#define GLANCE_CUSTOM_OP_H

#include "ort_abi.h"

/* ONNX Runtime's API, set by RegisterCustomOps before any operator runs. */
extern const OrtApi *api;

/* An ONNX Runtime status of `code` with a printf-formatted message. */
OrtStatus *op_error(OrtErrorCode code, const char *format, ...) __attribute__((format(printf, 2, 3)));

/*
 * This thread's scratch of at least `floats` floats, 64-byte aligned, or NULL when memory is short: kept between
 * calls and freed when the thread ends. One operator uses it at a time on a thread.
 */
float *thread_scratch(size_t floats);

/* The data of input `index`; *status is set (and NULL returned) when it cannot be read. */
void *input_data(OrtKernelContext *context, size_t index, OrtStatus **status);

/* The shape of input `index` into dims (room for 8) and *rank; an error status where it has more than 8 axes. */
OrtStatus *input_shape(OrtKernelContext *context, size_t index, int64_t *dims, size_t *rank);

/* Integer attribute `name` of a node, or `fallback` where the node has none. */
int64_t op_optional_int(const OrtKernelInfo *info, const char *name, int64_t fallback);

/* The callbacks every operator here shares. */
void op_free_kernel(void *kernel);
const char *op_provider(const OrtCustomOp *op);
OrtCustomOpInputOutputCharacteristic op_required(const OrtCustomOp *op, size_t index);
OrtMemType op_cpu_memory(const OrtCustomOp *op, size_t index);
/* 1: the variadic arities and homogeneity (no input is variadic) and the first opset version. */
int op_one(const OrtCustomOp *op);
int op_no_end_version(const OrtCustomOp *op);
ONNXTensorElementDataType op_float(const OrtCustomOp *op, size_t index);

/*
 * An OrtCustomOp of this library: its own name, types, counts and kernel, the callbacks above for the rest (its
 * kernel state is one block that free releases).
 */
#define GLANCE_CUSTOM_OP(NAME, INPUT_TYPE, INPUT_COUNT, OUTPUT_COUNT, CREATE, COMPUTE)                              \
    {                                                                                                          \
        .version = GLANCE_ORT_API_VERSION, .GetName = NAME, .GetExecutionProviderType = op_provider,             \
        .GetInputType = INPUT_TYPE, .GetInputTypeCount = INPUT_COUNT, .GetOutputType = op_float,                 \
        .GetOutputTypeCount = OUTPUT_COUNT, .GetInputCharacteristic = op_required,                               \
        .GetOutputCharacteristic = op_required, .GetInputMemoryType = op_cpu_memory,                             \
        .GetVariadicInputMinArity = op_one, .GetVariadicInputHomogeneity = op_one,                               \
        .GetVariadicOutputMinArity = op_one, .GetVariadicOutputHomogeneity = op_one, .CreateKernelV2 = CREATE,   \
        .KernelComputeV2 = COMPUTE, .KernelDestroy = op_free_kernel, .GetStartVersion = op_one,                  \
        .GetEndVersion = op_no_end_version,                                                                      \
    }

/* The operators of the library's io.glance domain. */
extern OrtCustomOp matmul_q4_tiles_op;
extern OrtCustomOp cached_attention_op;

#endif
