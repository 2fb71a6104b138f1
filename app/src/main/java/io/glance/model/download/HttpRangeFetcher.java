package io.glance.model.download;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP attempt at one file: continues a partial file with a {@code Range} request, follows redirects itself
 * (to keep the {@code X-Linked-Etag} of the first response, which carries the sha256 of Hugging Face LFS files),
 * and appends what arrives. A read that waits longer than the read timeout fails, so a stalled server is
 * retried instead of hanging. Used by one download thread at a time.
 */
final class HttpRangeFetcher {
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+|\\*)(?:-(\\d+))?/(\\d+|\\*)");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /**
     * What one attempt achieved.
     *
     * @param complete     the whole file is in the partial file (false when stopped by pause or cancel)
     * @param totalSize    the size the server announced, or -1
     * @param serverSha256 the sha256 the server announced in {@code X-Linked-Etag} / {@code ETag}, or {@code null}
     */
    record Outcome(boolean complete, long totalSize, String serverSha256) {
    }

    private final DownloadOptions options;

    HttpRangeFetcher(DownloadOptions options) {
        this.options = options;
    }

    /**
     * Downloads the rest of {@code source} into {@code part}.
     *
     * @param onBytes told each time bytes are appended (or -n when a partial file had to be discarded)
     * @throws IOException       on a failure worth retrying: connection refused, dropped or stalled, server error
     * @throws DownloadException on a failure that retrying cannot fix (not found, forbidden, redirect loop)
     */
    Outcome fetch(URI source, Path part, DownloadControl control, LongConsumer onBytes)
            throws IOException, DownloadException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        Response response = open(source, have, control);
        HttpURLConnection connection = response.connection();
        long linkedSize = response.linkedSize();
        URI current = response.uri();
        String sha = shaFromEtag(response.linkedEtag() != null ? response.linkedEtag() : connection.getHeaderField("ETag"));
        int status = connection.getResponseCode();
        try {
            long offset;
            long total;
            if (status == 206) {
                Matcher range = contentRange(connection);
                offset = Long.parseLong(range.group(1));
                total = range.group(3).equals("*") ? linkedSize : Long.parseLong(range.group(3));
                if (offset != have) {
                    discard(part, have, onBytes);
                    throw new IOException("server resumed at byte " + offset + " instead of " + have);
                }
            } else if (status == 200) {
                discard(part, have, onBytes);
                offset = 0;
                long length = connection.getContentLengthLong();
                total = length >= 0 ? length : linkedSize;
            } else if (status == 416) {
                Matcher range = contentRange(connection);
                total = range.group(3).equals("*") ? linkedSize : Long.parseLong(range.group(3));
                if (total == have) {
                    return new Outcome(true, total, sha);
                }
                discard(part, have, onBytes);
                throw new IOException("server refused to resume at byte " + have + " (HTTP 416)");
            } else if (status == 404 || status == 410) {
                throw new DownloadException("not found on the server: " + source + " (HTTP " + status + ")");
            } else if (status == 401 || status == 403) {
                throw new DownloadException("the server refused " + source + " (HTTP " + status
                        + "); the repository may be private or gated");
            } else {
                throw new IOException("HTTP " + status + " from " + current.getHost());
            }
            return append(connection, part, offset, total, sha, control, onBytes);
        } finally {
            connection.disconnect();
        }
    }

    /**
     * The size the server announces for {@code source} (its {@code X-Linked-Size} or {@code Content-Length}),
     * read from the headers of a request whose body is not read; -1 when it announces none (or answers with
     * an error, which the download itself then reports).
     *
     * @throws IOException       when the server cannot be reached
     * @throws DownloadException on a redirect loop or a redirect to something but HTTP
     */
    long announcedSize(URI source, DownloadControl control) throws IOException, DownloadException {
        Response response = open(source, 0, control);
        try {
            boolean found = response.connection().getResponseCode() == 200;
            long length = found ? response.connection().getContentLengthLong() : -1;
            return response.linkedSize() >= 0 ? response.linkedSize() : length;
        } finally {
            response.connection().disconnect();
        }
    }

    /** A response after the redirects, with what the first hops announced. */
    private record Response(HttpURLConnection connection, URI uri, String linkedEtag, long linkedSize) {
    }

    /** Requests {@code source} from byte {@code have} on, following up to {@link #MAX_REDIRECTS} redirects. */
    private Response open(URI source, long have, DownloadControl control) throws IOException, DownloadException {
        String linkedEtag = null;
        long linkedSize = -1;
        URI current = source;
        for (int hop = 0; ; hop++) {
            if (hop > MAX_REDIRECTS) {
                throw new DownloadException("more than " + MAX_REDIRECTS + " redirects for " + source);
            }
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) options.connectTimeout().toMillis());
            connection.setReadTimeout((int) options.readTimeout().toMillis());
            connection.setRequestProperty("User-Agent", "Glance/0.1");
            connection.setRequestProperty("Accept-Encoding", "identity");
            if (have > 0) {
                connection.setRequestProperty("Range", "bytes=" + have + "-");
            }
            control.useConnection(connection::disconnect);
            int status = connection.getResponseCode();
            linkedEtag = linkedEtag != null ? linkedEtag : connection.getHeaderField("X-Linked-Etag");
            linkedSize = linkedSize >= 0 ? linkedSize : parseLong(connection.getHeaderField("X-Linked-Size"));
            if (status < 300 || status >= 400 || status == 304) {
                return new Response(connection, current, linkedEtag, linkedSize);
            }
            String location = connection.getHeaderField("Location");
            connection.disconnect();
            if (location == null) {
                throw new DownloadException("HTTP " + status + " without a Location for " + current);
            }
            current = current.resolve(location);
            if (!"https".equals(current.getScheme()) && !"http".equals(current.getScheme())) {
                throw new DownloadException("refusing redirect of " + source + " to " + current);
            }
        }
    }

    private static Outcome append(HttpURLConnection connection, Path part, long offset, long total, String sha,
                                  DownloadControl control, LongConsumer onBytes) throws IOException {
        StandardOpenOption mode = offset == 0 ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND;
        try (InputStream in = connection.getInputStream();
             FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE, mode)) {
            byte[] buffer = new byte[64 * 1024];
            long written = offset;
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(ByteBuffer.wrap(buffer, 0, n));
                written += n;
                onBytes.accept(n);
                if (control.stopRequested()) {
                    out.force(false);
                    return new Outcome(false, total, sha);
                }
            }
            out.force(true);
            if (total >= 0 && written < total) {
                throw new IOException("connection closed at byte " + written + " of " + total);
            }
            return new Outcome(true, total >= 0 ? total : written, sha);
        }
    }

    private static void discard(Path part, long have, LongConsumer onBytes) throws IOException {
        if (have > 0) {
            Files.deleteIfExists(part);
            onBytes.accept(-have);
        }
    }

    private static Matcher contentRange(HttpURLConnection connection) throws IOException {
        String header = connection.getHeaderField("Content-Range");
        Matcher matcher = header == null ? null : CONTENT_RANGE.matcher(header.trim());
        if (matcher == null || !matcher.matches()) {
            throw new IOException("bad Content-Range '" + header + "' in HTTP " + connection.getResponseCode());
        }
        return matcher;
    }

    /** The sha256 in an ETag ({@code "abc…"} or {@code W/"abc…"}), or {@code null} when it is not one. */
    static String shaFromEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String value = etag.trim().replaceFirst("^W/", "").replace("\"", "").toLowerCase(Locale.ROOT);
        return SHA256.matcher(value).matches() ? value : null;
    }

    private static long parseLong(String value) {
        try {
            return value == null ? -1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
