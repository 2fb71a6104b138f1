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

    /** 15 s to connect, 30 s read timeout, 6 attempts, backoff from 1 s. */
    public static DownloadOptions defaults(URI baseUrl) {
        return new DownloadOptions(baseUrl, Duration.ofSeconds(15), Duration.ofSeconds(30), 6, Duration.ofSeconds(1));
    }

    /** The wait before retry number {@code attempt} (1-based): exponential, capped at 30 s. */
    Duration backoff(int attempt) {
        Duration delay = firstBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
        return delay.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : delay;
    }
}
