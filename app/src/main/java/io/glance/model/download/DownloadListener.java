package io.glance.model.download;

import io.glance.model.catalog.CatalogFile;

import java.time.Duration;

/**
 * Receives what a {@link ModelDownload} does. Every method is called on the thread that runs
 * {@link ModelDownload#run()}; a UI hands the values over to its own thread. All methods default to doing
 * nothing. {@link #progress} comes at most about ten times a second.
 */
public interface DownloadListener {

    default void stateChanged(DownloadState state) {
    }

    /** A file starts (or continues, when {@code resumedFrom} > 0, from a partial file left earlier). */
    default void fileStarted(CatalogFile file, long resumedFrom) {
    }

    default void progress(DownloadProgress progress) {
    }

    /** The file is complete and its checksum is being computed. */
    default void verifying(CatalogFile file) {
    }

    /** The file was verified and moved into place. */
    default void fileInstalled(CatalogFile file, Verification verification) {
    }

    /** An attempt failed (dropped or stalled connection, server error); the next starts after {@code delay}. */
    default void retrying(CatalogFile file, int attempt, Duration delay, String reason) {
    }
}
