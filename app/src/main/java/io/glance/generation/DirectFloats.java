package io.glance.generation;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * Float values in direct memory with one owner, such as a picture's pixels: views of them while open, and the memory
 * freed at once by {@link #close} (through {@link DirectBuffers}) rather than when the collector next runs. Closing
 * again does nothing. Not thread-safe.
 */
public final class DirectFloats implements AutoCloseable {
    private final ByteBuffer memory;
    private boolean closed;

    /** {@code count} zeroed floats in the platform's byte order. */
    public DirectFloats(long count) {
        memory = DirectBuffers.allocate(count * Float.BYTES);
    }

    /**
     * A view of every value, position 0; what is written to it is written to the memory.
     *
     * @throws IllegalStateException once closed
     */
    public FloatBuffer floats() {
        if (closed) {
            throw new IllegalStateException("the values were freed");
        }
        return memory.duplicate().order(memory.order()).asFloatBuffer();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DirectBuffers.free(memory);
        }
    }
}
