package io.glance.onnx;

import ai.onnxruntime.OrtException;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Ends the process without tearing ONNX Runtime down under a call still inside it. ONNX Runtime's Java
 * binding releases its native environment in a shutdown hook of its own, which runs alongside every other
 * hook: a session still being created (or run) on another thread then crashed the JVM with SIGSEGV and left
 * an {@code hs_err_pid*.log}. So the process ends through {@link #exit}: it stops new calls, waits (up to
 * {@link #EXIT_WAIT_SECONDS}) for the calls in progress, and only then calls {@link System#exit}, which runs the
 * hooks. {@link #installSignalHandlers} makes SIGTERM and SIGINT end the process that way too (exit status
 * 128 + the signal's number, as the JVM's own handlers). Calls into ONNX Runtime go through {@link #call}; a
 * call made once the exit has begun fails, and {@link #close} skips the release (the process is ending).
 * Safe on any thread; calls may nest.
 */
public final class OrtShutdownGuard {
    /** How long the exit waits for calls in progress (a session of a large graph takes seconds to create). */
    static final long EXIT_WAIT_SECONDS = 20;
    private static final ReentrantReadWriteLock PERMITS = new ReentrantReadWriteLock();
    private static volatile boolean exiting;
    private static final AtomicBoolean EXIT_BEGUN = new AtomicBoolean();

    /** A call into ONNX Runtime. */
    @FunctionalInterface
    interface OrtCall<T> {
        T call() throws OrtException;
    }

    /** A release of an ONNX Runtime object. */
    @FunctionalInterface
    interface OrtRelease {
        void release() throws OrtException;
    }

    private OrtShutdownGuard() {
    }

    /**
     * Routes SIGTERM and SIGINT through {@link #exit}. Where the JVM keeps those signals to itself
     * ({@code -Xrs}) its own handling stays.
     */
    public static void installSignalHandlers() {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> exit(128 + signal.getNumber()));
            } catch (IllegalArgumentException e) {
                // the signal is reserved in this JVM: its default handling (shutdown hooks, then exit) stays
            }
        }
    }

    /**
     * Waits (bounded) for the calls into ONNX Runtime in progress, refuses later ones, and exits. The first
     * call's status stands (a command that ends while a signal's exit waits does not turn it into success):
     * a later caller waits for the process to end.
     */
    public static void exit(int status) {
        if (!EXIT_BEGUN.compareAndSet(false, true)) {
            awaitTheEnd();
        }
        exiting = true;
        try {
            PERMITS.writeLock().tryLock(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(status);
    }

    private static void awaitTheEnd() {
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // keep waiting: the exit in progress ends this thread with the process
            }
        }
    }

    /**
     * Runs {@code work}, which the exit waits for.
     *
     * @throws OrtException from {@code work}, or when the process is exiting (without running it)
     */
    static <T> T call(OrtCall<T> work) throws OrtException {
        Lock permit = PERMITS.readLock();
        if (!permit.tryLock()) { // fails only while the exit holds the lock
            throw new OrtException("the process is exiting");
        }
        try {
            if (exiting) {
                throw new OrtException("the process is exiting");
            }
            return work.call();
        } finally {
            permit.unlock();
        }
    }

    /** Runs {@code release}, unless the process is exiting (then ONNX Runtime may be gone already). */
    static void close(OrtRelease release) throws OrtException {
        Lock permit = PERMITS.readLock();
        if (!permit.tryLock()) {
            return; // the exit holds the lock
        }
        try {
            if (!exiting) {
                release.release();
            }
        } finally {
            permit.unlock();
        }
    }
}
