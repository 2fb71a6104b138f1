package io.glance.cli;

import io.glance.model.catalog.CatalogFile;
import io.glance.model.download.ByteCount;
import io.glance.model.download.DownloadListener;
import io.glance.model.download.DownloadProgress;
import io.glance.model.download.Verification;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows a download's progress on stderr: one rewritten line on a terminal, a line every few seconds when the
 * output goes to a file or pipe (scripts, CI logs). Called on the download thread only.
 */
final class DownloadProgressPrinter implements DownloadListener {
    private static final long PIPE_INTERVAL_NANOS = 5_000_000_000L;

    private final PrintStream err;
    private final boolean terminal;
    private long lastLineNanos;

    DownloadProgressPrinter(PrintStream err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    @Override
    public void fileStarted(CatalogFile file, long resumedFrom) {
        endLine();
        err.println(file.path() + (file.hasSize() ? " (" + ByteCount.format(file.size()) + ")" : "")
                + (resumedFrom > 0 ? ": resuming at " + ByteCount.format(resumedFrom) : ""));
    }

    @Override
    public void progress(DownloadProgress p) {
        long now = System.nanoTime();
        if (!terminal && now - lastLineNanos < PIPE_INTERVAL_NANOS) {
            return;
        }
        lastLineNanos = now;
        String percent = p.fraction() < 0 ? "" : String.format(Locale.ROOT, "%5.1f%%  ", p.fraction() * 100);
        String line = percent + ByteCount.format(p.bytes()) + " / " + ByteCount.format(p.totalBytes()) + "  "
                + ByteCount.format((long) p.bytesPerSecond()) + "/s" + (p.remaining() == null ? ""
                : "  " + formatDuration(p.remaining()) + " left");
        if (terminal) {
            err.print("\r" + line + "    ");
        } else {
            err.println(line);
        }
    }

    @Override
    public void verifying(CatalogFile file) {
        endLine();
        err.println(file.path() + ": checking sha256");
    }

    @Override
    public void fileInstalled(CatalogFile file, Verification verification) {
        endLine();
        String how = switch (verification) {
            case SHA256_FROM_CATALOG -> "sha256 matches the catalog";
            case SHA256_FROM_SERVER -> "sha256 matches the server's ETag";
            case SIZE_ONLY -> "size matches (no sha256 known)";
        };
        err.println(file.path() + ": installed, " + how);
    }

    @Override
    public void retrying(CatalogFile file, int attempt, Duration delay, String reason) {
        endLine();
        err.println(file.path() + ": " + reason + "; retry " + attempt + " in " + formatDuration(delay));
    }

    private void endLine() {
        if (terminal && lastLineNanos != 0) {
            err.println();
            lastLineNanos = 0;
        }
    }

    private static String formatDuration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (duration.toMillis() < 1000) {
            return duration.toMillis() + " ms";
        }
        return seconds >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
}
