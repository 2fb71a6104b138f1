package io.glance.model.download;

import java.time.Duration;

/**
 * A snapshot of a running download. Immutable; safe to hand to another thread.
 *
 * @param file           path of the file being downloaded, e.g. {@code onnx/vision_encoder_q4.onnx}
 * @param fileBytes      bytes of that file on disk so far
 * @param fileSize       its size, or -1 when not known yet
 * @param bytes          bytes of the whole download on disk so far (files installed before this pull excluded)
 * @param totalBytes     bytes of the whole download, or -1 while a size is unknown
 * @param bytesPerSecond recent speed, 0 before it can be measured
 * @param remaining      estimated time left, or {@code null} when it cannot be estimated
 */
public record DownloadProgress(String file, long fileBytes, long fileSize, long bytes, long totalBytes,
                               double bytesPerSecond, Duration remaining) {

    /** Fraction done in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return totalBytes <= 0 ? -1 : Math.min(1.0, (double) bytes / totalBytes);
    }
}
