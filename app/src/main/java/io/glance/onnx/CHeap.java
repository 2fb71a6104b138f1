package io.glance.onnx;

import io.glance.os.LinuxC;

/**
 * Hands the free pages of the C heap back to the system (glibc's {@code malloc_trim}). Opening a session
 * allocates and frees much more than the session keeps (the parsed graph, initializers before they are pre-packed,
 * the tokenizer's JSON); glibc keeps freed memory in its heaps, so without this the process stays that much larger
 * for as long as it runs. Memory that ONNX Runtime's arenas hold is not freed memory and stays.
 *
 * <p>Best effort: elsewhere than Linux with glibc nothing happens and nothing is thrown. Any thread.
 */
final class CHeap {
    private static final LinuxC.Functions C = LinuxC.library();

    private CHeap() {
    }

    /** Returns the heap's free pages to the system. */
    static void returnFreePages() {
        if (C == null) {
            return;
        }
        try {
            C.malloc_trim(0);
        } catch (RuntimeException | LinkageError e) {
            // best effort: this C library has no malloc_trim
        }
    }
}
