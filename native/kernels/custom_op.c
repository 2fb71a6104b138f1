#include "custom_op.h"

#include "q4_tiles.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define EXPORT __attribute__((visibility("default")))

const OrtApi *api;

OrtStatus *op_error(OrtErrorCode code, const char *format, ...) {
    char message[256];
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    return ORT_API(api, CreateStatus)(code, message);
}

static pthread_key_t scratch_key;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;

typedef struct {
    size_t bytes;
    float *data;
} Scratch;

static void free_scratch(void *value) {
    Scratch *scratch = value;
    free(scratch->data);
    free(scratch);
}

static void make_scratch_key(void) {
    pthread_key_create(&scratch_key, free_scratch);
}

float *thread_scratch(size_t floats) {
    pthread_once(&scratch_key_once, make_scratch_key);
    Scratch *scratch = pthread_getspecific(scratch_key);
    if (scratch == NULL) {
        scratch = calloc(1, sizeof *scratch);
        if (scratch == NULL || pthread_setspecific(scratch_key, scratch) != 0) {
            free(scratch);
            return NULL;
        }
    }
    size_t bytes = (floats * sizeof(float) + 63) / 64 * 64;
    if (scratch->bytes < bytes) {
        free(scratch->data);
        scratch->data = aligned_alloc(64, bytes);
        scratch->bytes = scratch->data == NULL ? 0 : bytes;
    }
    return scratch->data;
}

void *input_data(OrtKernelContext *context, size_t index, OrtStatus **status) {
    const OrtValue *value = NULL;
    void *data = NULL;
    *status = ORT_API(api, KernelContext_GetInput)(context, index, &value);
    if (*status == NULL) {
        *status = ORT_API(api, GetTensorMutableData)((OrtValue *)value, &data);
    }
    return *status == NULL ? data : NULL;
}

OrtStatus *input_shape(OrtKernelContext *context, size_t index, int64_t *dims, size_t *rank) {
    const OrtValue *value = NULL;
    OrtTensorTypeAndShapeInfo *shape = NULL;
    OrtStatus *status = ORT_API(api, KernelContext_GetInput)(context, index, &value);
    if (status == NULL) {
        status = ORT_API(api, GetTensorTypeAndShape)(value, &shape);
    }
    if (status != NULL) {
        return status;
    }
    status = ORT_API(api, GetDimensionsCount)(shape, rank);
    if (status == NULL && *rank > 8) {
        status = op_error(ORT_INVALID_ARGUMENT, "input %zu has %zu axes (at most 8 taken)", index, *rank);
    }
    if (status == NULL) {
        status = ORT_API(api, GetDimensions)(shape, dims, *rank);
    }
    ORT_API(api, ReleaseTensorTypeAndShapeInfo)(shape);
    return status;
}

int64_t op_optional_int(const OrtKernelInfo *info, const char *name, int64_t fallback) {
    int64_t value = fallback;
    OrtStatus *absent = ORT_API(api, KernelInfoGetAttribute_int64)(info, name, &value);
    if (absent != NULL) {
        ORT_API(api, ReleaseStatus)(absent);
        return fallback;
    }
    return value;
}

void op_free_kernel(void *kernel) {
    free(kernel);
}

const char *op_name(const OrtCustomOp *op) {
    return ((const GlanceOp *)op)->name;
}

size_t op_input_count(const OrtCustomOp *op) {
    return ((const GlanceOp *)op)->inputs;
}

size_t op_output_count(const OrtCustomOp *op) {
    return ((const GlanceOp *)op)->outputs;
}

OrtStatus *op_create_kernel(const OrtCustomOp *op, const OrtApi *ort, const OrtKernelInfo *info, void **kernel) {
    (void)ort;
    const GlanceOp *glance = (const GlanceOp *)op;
    void *state = calloc(1, glance->kernel_bytes);
    if (state == NULL) {
        return op_error(ORT_FAIL, "%s: no memory", glance->name);
    }
    OrtStatus *status = glance->configure(info, state);
    if (status != NULL) {
        free(state);
        return status;
    }
    *kernel = state;
    return NULL;
}

const char *op_provider(const OrtCustomOp *op) {
    (void)op;
    return "CPUExecutionProvider";
}

OrtCustomOpInputOutputCharacteristic op_required(const OrtCustomOp *op, size_t index) {
    (void)op;
    (void)index;
    return INPUT_OUTPUT_REQUIRED;
}

OrtMemType op_cpu_memory(const OrtCustomOp *op, size_t index) {
    (void)op;
    (void)index;
    return OrtMemTypeDefault;
}

int op_one(const OrtCustomOp *op) {
    (void)op;
    return 1;
}

int op_no_end_version(const OrtCustomOp *op) {
    (void)op;
    return 2147483647;
}

ONNXTensorElementDataType op_float(const OrtCustomOp *op, size_t index) {
    (void)op;
    (void)index;
    return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT;
}

EXPORT OrtStatus *RegisterCustomOps(OrtSessionOptions *options, const OrtApiBase *base) {
    api = base->GetApi(GLANCE_ORT_API_VERSION);
    if (api == NULL) {
        /* CreateStatus is the first function of every version's table */
        const OrtApi *first = base->GetApi(1);
        return ORT_API(first, CreateStatus)(
            ORT_FAIL, "Glance's kernels need a newer ONNX Runtime (C API " GLANCE_ORT_API_VERSION_TEXT ")");
    }
    if (!q4_tiles_supported()) {
        return ORT_API(api, CreateStatus)(ORT_FAIL, "Glance's kernels need AVX-512 (this CPU has none)");
    }
    /*
     * One domain for the process, added to every session's options: a session reads its operators when it is
     * made, and sessions made later need the domain too, so it lives as long as the library (which stays loaded).
     */
    static pthread_mutex_t domain_lock = PTHREAD_MUTEX_INITIALIZER;
    static OrtCustomOpDomain *domain;
    OrtStatus *status = NULL;
    pthread_mutex_lock(&domain_lock);
    if (domain == NULL) {
        OrtCustomOpDomain *made = NULL;
        status = ORT_API(api, CreateCustomOpDomain)("io.glance", &made);
        if (status == NULL) {
            status = ORT_API(api, CustomOpDomain_Add)(made, &matmul_q4_tiles_op.ort);
        }
        if (status == NULL) {
            status = ORT_API(api, CustomOpDomain_Add)(made, &cached_attention_op.ort);
        }
        if (status == NULL) {
            domain = made;
        }
    }
    if (status == NULL) {
        status = ORT_API(api, AddCustomOpDomain)(options, domain);
    }
    pthread_mutex_unlock(&domain_lock);
    return status;
}
