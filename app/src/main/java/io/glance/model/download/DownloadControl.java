package io.glance.model.download;

import java.time.Duration;

/**
 * Pause, resume and cancel requests from any thread, seen by the download thread. Pausing or cancelling also
 * closes the current connection, so a stalled read stops at once. Thread-safe.
 */
final class DownloadControl {
    private boolean paused;
    private boolean cancelled;
    private Runnable closeConnection = () -> { };

    synchronized void pause() {
        paused = true;
        closeConnection.run();
    }

    synchronized void resume() {
        paused = false;
        notifyAll();
    }

    synchronized void cancel() {
        cancelled = true;
        closeConnection.run();
        notifyAll();
    }

    synchronized boolean isPaused() {
        return paused && !cancelled;
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    synchronized boolean stopRequested() {
        return paused || cancelled;
    }

    /** Registers how to close the connection now in use; closes it at once when a stop is already requested. */
    synchronized void useConnection(Runnable close) {
        closeConnection = close;
        if (paused || cancelled) {
            close.run();
        }
    }

    /** Blocks while paused; returns when resumed or cancelled. An interrupt counts as cancel. */
    synchronized void awaitResume() {
        try {
            while (paused && !cancelled) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
        }
    }

    /** Sleeps for a retry backoff; returns early on cancel. An interrupt counts as cancel. */
    synchronized void sleep(Duration delay) {
        long end = System.nanoTime() + delay.toNanos();
        try {
            for (long left = delay.toMillis(); !cancelled && left > 0; left = (end - System.nanoTime()) / 1_000_000) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancelled = true;
        }
    }
}
