package io.glance.model.download;

/**
 * A download that cannot finish: server unreachable after the retries, file not on the server, checksum
 * mismatch, not enough disk space. The message says what happened and what was kept or deleted, and is meant
 * to be shown to the user as it is.
 */
public class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;

    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
