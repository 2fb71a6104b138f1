package io.glance.os;

import com.sun.jna.Library;
import com.sun.jna.Native;

import java.util.Locale;

/**
 * The C library of this process on Linux, through JNA, for the few calls Java has no way to make: a thread's nice
 * value, and handing the heap's free pages back to the system. Functions bind on first call, so one that this C
 * library lacks (glibc's {@code malloc_trim} under musl) throws {@link UnsatisfiedLinkError} then; callers treat
 * every call as best effort. Any thread.
 */
public final class LinuxC {
    private static final Functions LOADED = load();

    private LinuxC() {
    }

    /** The functions Glance calls; see their manual pages. */
    public interface Functions extends Library {
        int setpriority(int which, int who, int priority);

        int getpriority(int which, int who);

        int malloc_trim(long keepBytes);
    }

    /** The C library, or {@code null} elsewhere than Linux or where it cannot be loaded. */
    public static Functions library() {
        return LOADED;
    }

    private static Functions load() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return null;
        }
        try {
            return Native.load("c", Functions.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
