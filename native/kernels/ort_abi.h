/*
 * The part of ONNX Runtime's C API (its onnxruntime_c_api.h) that Glance's kernels use, declared here so that
 * the library builds without ONNX Runtime's headers, which Maven Central does not carry. ONNX Runtime keeps
 * this ABI stable: OrtApi is a table of function pointers that only grows at its end, so a function's slot
 * never moves, and OrtCustomOp is read up to the fields of the version it declares. The slots below are
 * those functions' positions in that table; GLANCE_ORT_API_VERSION is the version that has all of them
 * (KernelContext_ParallelFor arrived in it).
 */
#ifndef GLANCE_ORT_ABI_H
#define GLANCE_ORT_ABI_H

#include <stddef.h>
#include <stdint.h>

#define GLANCE_ORT_API_VERSION 17
#define GLANCE_ORT_API_VERSION_TEXT "17"

typedef struct OrtStatus OrtStatus;
typedef struct OrtValue OrtValue;
typedef struct OrtSessionOptions OrtSessionOptions;
typedef struct OrtCustomOpDomain OrtCustomOpDomain;
typedef struct OrtKernelInfo OrtKernelInfo;
typedef struct OrtKernelContext OrtKernelContext;
typedef struct OrtTensorTypeAndShapeInfo OrtTensorTypeAndShapeInfo;
typedef struct OrtShapeInferContext OrtShapeInferContext;
typedef struct OrtApi OrtApi;
typedef struct OrtCustomOp OrtCustomOp;

typedef enum { ORT_OK = 0, ORT_FAIL = 1, ORT_INVALID_ARGUMENT = 2 } OrtErrorCode;
typedef enum {
    ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8 = 2,
    ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32 = 6
} ONNXTensorElementDataType;
typedef enum { INPUT_OUTPUT_REQUIRED = 0 } OrtCustomOpInputOutputCharacteristic;
typedef enum { OrtMemTypeDefault = 0 } OrtMemType;

typedef struct OrtApiBase {
    const OrtApi *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} OrtApiBase;

/* Function types of the table's slots used here, and the slots. */
typedef OrtStatus *(*CreateStatus_fn)(OrtErrorCode code, const char *message);
typedef OrtStatus *(*CreateCustomOpDomain_fn)(const char *domain, OrtCustomOpDomain **out);
typedef OrtStatus *(*CustomOpDomain_Add_fn)(OrtCustomOpDomain *domain, const OrtCustomOp *op);
typedef OrtStatus *(*AddCustomOpDomain_fn)(OrtSessionOptions *options, OrtCustomOpDomain *domain);
typedef OrtStatus *(*GetTensorMutableData_fn)(OrtValue *value, void **out);
typedef OrtStatus *(*GetDimensionsCount_fn)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
typedef OrtStatus *(*GetDimensions_fn)(const OrtTensorTypeAndShapeInfo *info, int64_t *dims, size_t count);
typedef OrtStatus *(*GetTensorShapeElementCount_fn)(const OrtTensorTypeAndShapeInfo *info, size_t *out);
typedef OrtStatus *(*GetTensorTypeAndShape_fn)(const OrtValue *value, OrtTensorTypeAndShapeInfo **out);
typedef OrtStatus *(*KernelInfoGetAttribute_int64_fn)(const OrtKernelInfo *info, const char *name, int64_t *out);
typedef OrtStatus *(*KernelContext_GetInput_fn)(const OrtKernelContext *context, size_t index, const OrtValue **out);
typedef OrtStatus *(*KernelContext_GetOutput_fn)(OrtKernelContext *context, size_t index, const int64_t *dims,
                                                 size_t count, OrtValue **out);
typedef void (*ReleaseStatus_fn)(OrtStatus *status);
typedef void (*ReleaseTensorTypeAndShapeInfo_fn)(OrtTensorTypeAndShapeInfo *info);
typedef OrtStatus *(*KernelContext_ParallelFor_fn)(const OrtKernelContext *context, void (*fn)(void *, size_t),
                                                   size_t total, size_t batches, void *data);

enum {
    CreateStatus_SLOT = 0,
    CreateCustomOpDomain_SLOT = 26,
    CustomOpDomain_Add_SLOT = 27,
    AddCustomOpDomain_SLOT = 28,
    GetTensorMutableData_SLOT = 51,
    GetDimensionsCount_SLOT = 61,
    GetDimensions_SLOT = 62,
    GetTensorShapeElementCount_SLOT = 64,
    GetTensorTypeAndShape_SLOT = 65,
    KernelInfoGetAttribute_int64_SLOT = 86,
    KernelContext_GetInput_SLOT = 90,
    KernelContext_GetOutput_SLOT = 91,
    ReleaseStatus_SLOT = 93,
    ReleaseTensorTypeAndShapeInfo_SLOT = 99,
    KernelContext_ParallelFor_SLOT = 274,
};

/* The function NAME of the table API. */
#define ORT_API(api, NAME) ((NAME##_fn)((void *const *)(api))[NAME##_SLOT])

/* A custom operator, as ONNX Runtime reads it (fields up to those of `version`). */
struct OrtCustomOp {
    uint32_t version;
    void *(*CreateKernel)(const OrtCustomOp *op, const OrtApi *api, const OrtKernelInfo *info);
    const char *(*GetName)(const OrtCustomOp *op);
    const char *(*GetExecutionProviderType)(const OrtCustomOp *op);
    ONNXTensorElementDataType (*GetInputType)(const OrtCustomOp *op, size_t index);
    size_t (*GetInputTypeCount)(const OrtCustomOp *op);
    ONNXTensorElementDataType (*GetOutputType)(const OrtCustomOp *op, size_t index);
    size_t (*GetOutputTypeCount)(const OrtCustomOp *op);
    void (*KernelCompute)(void *kernel, OrtKernelContext *context);
    void (*KernelDestroy)(void *kernel);
    OrtCustomOpInputOutputCharacteristic (*GetInputCharacteristic)(const OrtCustomOp *op, size_t index);
    OrtCustomOpInputOutputCharacteristic (*GetOutputCharacteristic)(const OrtCustomOp *op, size_t index);
    OrtMemType (*GetInputMemoryType)(const OrtCustomOp *op, size_t index);
    int (*GetVariadicInputMinArity)(const OrtCustomOp *op);
    int (*GetVariadicInputHomogeneity)(const OrtCustomOp *op);
    int (*GetVariadicOutputMinArity)(const OrtCustomOp *op);
    int (*GetVariadicOutputHomogeneity)(const OrtCustomOp *op);
    OrtStatus *(*CreateKernelV2)(const OrtCustomOp *op, const OrtApi *api, const OrtKernelInfo *info, void **kernel);
    OrtStatus *(*KernelComputeV2)(void *kernel, OrtKernelContext *context);
    OrtStatus *(*InferOutputShapeFn)(const OrtCustomOp *op, OrtShapeInferContext *context);
    int (*GetStartVersion)(const OrtCustomOp *op);
    int (*GetEndVersion)(const OrtCustomOp *op);
    size_t (*GetMayInplace)(int **input_index, int **output_index);
    void (*ReleaseMayInplace)(int *input_index, int *output_index);
    size_t (*GetAliasMap)(int **input_index, int **output_index);
    void (*ReleaseAliasMap)(int *input_index, int *output_index);
};

#endif
