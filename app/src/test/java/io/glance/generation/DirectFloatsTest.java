package io.glance.generation;

import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Views share the owned memory until it is closed; then they are refused, and closing again does nothing. */
class DirectFloatsTest {

    @Test
    void viewsShareTheMemoryUntilItIsClosed() {
        DirectFloats values = new DirectFloats(4);
        FloatBuffer writer = values.floats();
        writer.put(2, 1.5f);

        FloatBuffer reader = values.floats();
        assertEquals(4, reader.remaining());
        assertEquals(1.5f, reader.get(2));

        values.close();
        values.close();
        assertThrows(IllegalStateException.class, values::floats);
    }
}
