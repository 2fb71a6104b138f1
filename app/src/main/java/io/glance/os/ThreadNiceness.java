package io.glance.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Gives the threads that must give way to the model's (the live preview's, JavaFX's renderer, the JIT compilers) a
 * lower Linux scheduling priority (a higher nice value), so that on a machine with too few cores the answer keeps
 * its cores and the others wait, rather than all slowing down. Nice values are per thread on Linux, and a process may always raise its own threads' values, so
 * this needs no permission. Java's own thread priorities do nothing on Linux unless the JVM runs with
 * {@code -XX:ThreadPriorityPolicy=1}, which warns at every start.
 *
 * <p>Best effort: elsewhere than Linux, or when the C library cannot be reached, nothing changes and nothing is
 * thrown. Any thread.
 */
public final class ThreadNiceness {
    /**
     * Kernel names of HotSpot's JIT compiler threads. On two cores they compete with ONNX Runtime's two decoder
     * threads while the first answer's code compiles: its first steps took 8–20 ms instead of 5.
     */
    public static final String[] JIT_COMPILER_THREADS = {"C1 CompilerThre", "C2 CompilerThre"};
    /** How much nicer than the process's main thread the preview's threads are made. */
    public static final int PREVIEW_NICENESS = 10;
    private static final int MAX_NICE = 19;
    private static final int PRIO_PROCESS = 0;
    private static final Path TASKS = Path.of("/proc/self/task");

    private static final LinuxC.Functions C = LinuxC.library();

    private ThreadNiceness() {
    }

    /**
     * Gives the calling thread the preview's nice value, {@link #PREVIEW_NICENESS} above the main thread's (at most
     * 19); returns whether it now has it.
     */
    public static boolean lowerCurrentThread() {
        return lower(0);
    }

    /**
     * Gives the preview's nice value to this process's threads whose kernel name (the Java name's first 15
     * characters) starts with one of {@code prefixes}, such as JavaFX's {@code QuantumRenderer}; returns how many
     * now have it.
     */
    public static int lowerThreadsNamed(String... prefixes) {
        if (C == null) {
            return 0;
        }
        try (Stream<Path> tasks = Files.list(TASKS)) {
            return (int) tasks.filter(task -> hasName(task, prefixes))
                    .filter(task -> lower(Integer.parseInt(task.getFileName().toString())))
                    .count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The nice value of the calling thread (0 where it cannot be read). */
    public static int currentThreadNice() {
        return niceOf(0);
    }

    /**
     * The nice value the preview's threads are given (0 where it cannot be set): the main thread's, whose id is the
     * process's, plus {@link #PREVIEW_NICENESS}.
     */
    public static int previewNice() {
        return C == null ? 0 : Math.min(MAX_NICE, niceOf((int) ProcessHandle.current().pid()) + PREVIEW_NICENESS);
    }

    private static int niceOf(int threadId) {
        try {
            return C == null ? 0 : C.getpriority(PRIO_PROCESS, threadId);
        } catch (RuntimeException | LinkageError e) {
            return 0;
        }
    }

    /** Thread 0 is the calling thread. */
    private static boolean lower(int threadId) {
        if (C == null) {
            return false;
        }
        try {
            return C.setpriority(PRIO_PROCESS, threadId, previewNice()) == 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static boolean hasName(Path task, String... prefixes) {
        String name;
        try {
            name = Files.readString(task.resolve("comm")).strip();
        } catch (IOException e) {
            return false;   // the thread ended
        }
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
