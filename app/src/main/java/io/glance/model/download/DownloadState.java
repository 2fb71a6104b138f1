package io.glance.model.download;

/** Where a {@link ModelDownload} stands. */
public enum DownloadState {
    NOT_STARTED, RUNNING, PAUSED, DONE, CANCELLED, FAILED;

    /** Whether the download has ended (successfully or not). */
    public boolean isFinal() {
        return this == DONE || this == CANCELLED || this == FAILED;
    }
}
