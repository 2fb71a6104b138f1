package io.glance.model.download;

import java.net.URI;
import java.time.Duration;

/**
 * How downloads talk to the server. Immutable; safe on any thread.
 *
 * @param baseUrl        files come from {@code {baseUrl}/{repo}/resolve/{revision}/{path}}; a mirror or a
 *                       loopback test server may replace {@code https://huggingface.co}
 * @param connectTimeout how long to wait for a connection
 * @param readTimeout    how long a read may wait for the next bytes before the connection counts as stalled
 *                       and is retried
 * @param maxAttempts    consecutive failed attempts without progress after which a file gives up
 * @param firstBackoff   wait before the first retry; doubled for each further one, at most 30 s
 */
public record DownloadOptions(URI baseUrl, Duration connectTimeout, Duration readTimeout, int maxAttempts,
                              Duration firstBackoff) {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    public DownloadOptions {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        String scheme = baseUrl.getScheme();
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw new IllegalArgumentException("base URL must be http or https: " + baseUrl);
        }
    }

    /** Default seconds a read may wait for bytes before the attempt counts as stalled. */
    public static final int DEFAULT_READ_TIMEOUT_SECONDS = 20;
    /** Default attempts without progress per file. */
    public static final int DEFAULT_ATTEMPTS = 4;

    /**
     * 15 s to connect, {@value #DEFAULT_READ_TIMEOUT_SECONDS} s read timeout, {@value #DEFAULT_ATTEMPTS} attempts,
     * backoff from 1 s: a server that stalls gives up after 4 × 20 s + 1 + 2 + 4 s of backoff = 87 s.
     */
    public static DownloadOptions defaults(URI baseUrl) {
        return new DownloadOptions(baseUrl, Duration.ofSeconds(15), Duration.ofSeconds(DEFAULT_READ_TIMEOUT_SECONDS),
                DEFAULT_ATTEMPTS, Duration.ofSeconds(1));
    }

    /** The longest a file waits on a server that accepts connections but stops sending, before giving up. */
    public Duration stalledServerGivesUpAfter() {
        Duration total = readTimeout.multipliedBy(maxAttempts);
        for (int retry = 1; retry < maxAttempts; retry++) {
            total = total.plus(backoff(retry));
        }
        return total;
    }

    /** The wait before retry number {@code attempt} (1-based): exponential, capped at 30 s. */
    Duration backoff(int attempt) {
        Duration delay = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
