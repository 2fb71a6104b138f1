package io.glance.library;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a caption run stands, reported after each file it had to look at. Files whose size and time show
 * them unchanged are not counted in {@code total}. Immutable; safe on any thread.
 *
 * @param done     files looked at so far (captioned, found unchanged by their hash, or skipped)
 * @param total    files the run has to look at
 * @param captioned files captioned so far
 * @param skipped  files skipped so far
 * @param lastFile path (relative to the library folder) of the file just done, or {@code null} at the start
 * @param elapsed  time since the run started looking at files
 */
public record CaptionProgress(int done, int total, int captioned, int skipped, String lastFile, Duration elapsed) {

    /** Files done per minute so far; 0 before the first. */
    public double imagesPerMinute() {
        double minutes = elapsed.toNanos() / 60e9;
        return done == 0 || minutes <= 0 ? 0 : done / minutes;
    }

    /** Estimated time to the end at the rate so far; empty before the first file is done. */
    public Optional<Duration> timeLeft() {
        if (done == 0) {
            return Optional.empty();
        }
        return Optional.of(elapsed.multipliedBy(total - done).dividedBy(done));
    }
}
