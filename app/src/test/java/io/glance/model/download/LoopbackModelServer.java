package io.glance.model.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Hugging Face–like file server on 127.0.0.1 (ephemeral port) for tests: serves a model folder at
 * {@code /{repo}/resolve/{revision}/{path}} with Range support, and can be told to cut a connection midway,
 * stall, corrupt a byte, throttle, announce each file's sha256 in {@code X-Linked-Etag}, or answer every file
 * request with a redirect elsewhere, as the hub does to its CDN. Thread-safe.
 */
public final class LoopbackModelServer implements AutoCloseable {
    /** A request as the server saw it. */
    public record Request(String path, String range) {
    }

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private final Path folder;
    private final String prefix;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Long> cutAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> stallAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> stallEveryTimeAfter = new ConcurrentHashMap<>();
    private final Map<String, Long> announcedLength = new ConcurrentHashMap<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final Map<String, String> linkedEtags = new ConcurrentHashMap<>();
    private volatile long throttleMillisPerChunk;
    private volatile String redirectBase;

    public LoopbackModelServer(Path folder, String repo, String revision) throws IOException {
        this.folder = folder;
        this.prefix = "/" + repo + "/resolve/" + revision + "/";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The next response for {@code path} closes the connection after {@code bytes} bytes of the file. */
    public void cutOnceAfter(String path, long bytes) {
        cutAfter.put(path, bytes);
    }

    /** The next response for {@code path} stops sending for 3 s after {@code bytes} bytes, then closes. */
    public void stallOnceAfter(String path, long bytes) {
        stallAfter.put(path, bytes);
    }

    /** Every response for {@code path} has its byte 1000 flipped. */
    /** Every request for {@code path} stalls after {@code bytes} bytes, as a server that hangs does. */
    public void stallEveryTimeAfter(String path, long bytes) {
        stallEveryTimeAfter.put(path, bytes);
    }

    /** Answers {@code path} with this Content-Length instead of its real size (the body is cut short). */
    public void announceLength(String path, long length) {
        announcedLength.put(path, length);
    }

    public void corrupt(String path) {
        corrupt.put(path, true);
    }

    /** The next response for {@code path} has its byte 1000 flipped. */
    public void corruptOnce(String path) {
        corrupt.put(path, false);
    }

    /** Responses for {@code path} carry this {@code X-Linked-Etag} (quoted, like Hugging Face). */
    public void linkedEtag(String path, String sha256) {
        linkedEtags.put(path, sha256);
    }

    /**
     * Every file request is answered with a 302 to {@code base} followed by the same path and a query, carrying
     * {@code X-Linked-Etag} (when set) and {@code X-Linked-Size} like the hub's answer for a large file.
     */
    public void redirectTo(String base) {
        redirectBase = base;
    }

    /** Sleeps this long after each 16 kB chunk, so a test can pause or cancel mid-file. */
    public void throttle(long millisPerChunk) {
        throttleMillisPerChunk = millisPerChunk;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(new Request(path, range));
        try (exchange) {
            if (!path.startsWith(prefix) || !Files.isRegularFile(folder.resolve(path.substring(prefix.length())))) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            String file = path.substring(prefix.length());
            String redirect = redirectBase;
            if (redirect != null) {
                String etag = linkedEtags.get(file);
                if (etag != null) {
                    exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + etag + "\"");
                }
                exchange.getResponseHeaders().add("X-Linked-Size", Long.toString(Files.size(folder.resolve(file))));
                exchange.getResponseHeaders().add("Location", redirect + path + "?signature=loopback");
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            byte[] bytes = Files.readAllBytes(folder.resolve(file));
            Boolean always = corrupt.get(file);
            if (always != null) {
                bytes[1000] ^= 0x5a;
                if (!always) {
                    corrupt.remove(file);
                }
            }
            int start = 0;
            Matcher matcher = range == null ? null : RANGE.matcher(range);
            if (matcher != null && matcher.matches()) {
                start = Integer.parseInt(matcher.group(1));
                if (start >= bytes.length) {
                    exchange.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                exchange.getResponseHeaders().add("Content-Range",
                        "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
            }
            String etag = linkedEtags.get(file);
            if (etag != null) {
                exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + etag + "\"");
            }
            exchange.sendResponseHeaders(start > 0 ? 206 : 200, announcedLength.getOrDefault(file, (long) bytes.length - start));
            Long cut = cutAfter.remove(file);
            Long stall = stallAfter.containsKey(file) ? stallAfter.remove(file) : stallEveryTimeAfter.get(file);
            long stopAt = cut != null ? cut : stall != null ? stall : Long.MAX_VALUE;
            OutputStream body = exchange.getResponseBody();
            for (int offset = start; offset < bytes.length; offset += 16 * 1024) {
                int end = (int) Math.min(Math.min(bytes.length, offset + 16 * 1024L), Math.max(stopAt, offset));
                body.write(bytes, offset, end - offset);
                body.flush();
                if (end >= stopAt) {
                    if (stall != null) {
                        Thread.sleep(3000);
                    }
                    throw new IOException("test server: connection cut on purpose at byte " + end);
                }
                if (throttleMillisPerChunk > 0) {
                    Thread.sleep(throttleMillisPerChunk);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
