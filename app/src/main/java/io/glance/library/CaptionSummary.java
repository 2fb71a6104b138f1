package io.glance.library;

import java.time.Duration;
import java.util.List;

/**
 * What a caption run did. Immutable; safe on any thread.
 *
 * @param files     image files found in the folder
 * @param captioned files captioned by this run
 * @param unchanged files whose caption was kept (same size, time and hash, or same hash after a touch)
 * @param removed   captions dropped because their file is gone
 * @param skipped   files this run could not caption, with the reason
 * @param cancelled whether the run stopped early; the file in flight was not recorded
 * @param elapsed   wall time of the run
 */
public record CaptionSummary(int files, int captioned, int unchanged, int removed, List<SkippedFile> skipped,
                             boolean cancelled, Duration elapsed) {

    /** Image files among {@link #skipped} (unreadable, corrupt, …): with captioned and unchanged, they make up {@link #files}. */
    public long skippedImages() {
        return skipped.stream().filter(file -> !file.notAnImage()).count();
    }

    /** Files among {@link #skipped} that are not image files at all; not counted in {@link #files}. */
    public long otherFiles() {
        return skipped.stream().filter(SkippedFile::notAnImage).count();
    }

    /** Captions per minute of wall time; 0 when nothing was captioned. */
    public double imagesPerMinute() {
        double minutes = elapsed.toNanos() / 60e9;
        return captioned == 0 || minutes <= 0 ? 0 : captioned / minutes;
    }
}
