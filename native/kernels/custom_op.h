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
 * An operator of this library: ONNX Runtime's table first (ONNX Runtime hands every callback the pointer it was
 * registered with, so the callbacks below read the rest), then its name and its numbers of inputs and outputs.
 */
typedef struct {
    OrtCustomOp ort;
    const char *name;
    size_t inputs;
    size_t outputs;
    /* Bytes of its kernel state, and what fills it from a node's attributes (NULL, or an error to refuse it). */
    size_t kernel_bytes;
    OrtStatus *(*configure)(const OrtKernelInfo *info, void *kernel);
} GlanceOp;

/* The name, input count, output count and kernel creation callbacks of a GlanceOp. */
const char *op_name(const OrtCustomOp *op);
size_t op_input_count(const OrtCustomOp *op);
size_t op_output_count(const OrtCustomOp *op);
OrtStatus *op_create_kernel(const OrtCustomOp *op, const OrtApi *ort, const OrtKernelInfo *info, void **kernel);

/*
 * A GlanceOp: its name, counts, input types, kernel state (a KERNEL, zeroed, then configured) and computation;
 * the shared callbacks for the rest.
 */
#define GLANCE_CUSTOM_OP(NAME, INPUTS, OUTPUTS, INPUT_TYPE, KERNEL, CONFIGURE, COMPUTE)                          \
    {                                                                                                          \
        .ort = {.version = GLANCE_ORT_API_VERSION, .GetName = op_name, .GetExecutionProviderType = op_provider,  \
                .GetInputType = INPUT_TYPE, .GetInputTypeCount = op_input_count, .GetOutputType = op_float,      \
                .GetOutputTypeCount = op_output_count, .GetInputCharacteristic = op_required,                    \
                .GetOutputCharacteristic = op_required, .GetInputMemoryType = op_cpu_memory,                     \
                .GetVariadicInputMinArity = op_one, .GetVariadicInputHomogeneity = op_one,                       \
                .GetVariadicOutputMinArity = op_one, .GetVariadicOutputHomogeneity = op_one,                     \
                .CreateKernelV2 = op_create_kernel, .KernelComputeV2 = COMPUTE, .KernelDestroy = op_free_kernel, \
                .GetStartVersion = op_one, .GetEndVersion = op_no_end_version},                                  \
        .name = NAME, .inputs = INPUTS, .outputs = OUTPUTS, .kernel_bytes = sizeof(KERNEL),                    \
        .configure = CONFIGURE,                                                                                \
    }

/* The operators of the library's io.glance domain. */
extern GlanceOp matmul_q4_tiles_op;
extern GlanceOp cached_attention_op;

#endif
