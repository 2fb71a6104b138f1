package io.glance.generation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A direct buffer freed by {@link DirectBuffers} gives its memory back to the system at once, not at the next GC. */
@EnabledOnOs(value = OS.LINUX, disabledReason = "reads resident memory from /proc/self/status")
class DirectBuffersTest {
    private static final int SIZE = 64 << 20;

    @Test
    void aFreedBufferLeavesResidentMemoryAtOnce() throws Exception {
        ByteBuffer buffer = DirectBuffers.allocate(SIZE);
        for (int i = 0; i < SIZE; i += 4096) {
            buffer.put(i, (byte) 1);
        }
        long touched = residentKb();

        DirectBuffers.free(buffer);

        long freed = touched - residentKb();
        assertTrue(freed > (SIZE >> 10) * 9 / 10, "resident memory fell by " + freed + " kB, not the buffer's "
                + (SIZE >> 10) + " kB");
    }

    private static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
