package io.glance.model.download;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Writes a one-model catalog for the tiny random test model (fp32 + q4), with real sizes and sha256, so tests
 * can download it from a {@link LoopbackModelServer}.
 */
public final class TinyModelCatalog {
    public static final Path FOLDER = Path.of("src/test/resources/models/tiny-random").toAbsolutePath();
    public static final String ID = "tiny-random";
    public static final String REPO = "test/tiny-random";
    public static final String REVISION = "main";

    private TinyModelCatalog() {
    }

    /**
     * Writes the catalog to {@code file}.
     *
     * @param withSha256 which files get a sha256 in the catalog
     * @param sizeOverride a size to write for every graph file instead of the real one, or -1
     */
    public static Path write(Path file, Predicate<String> withSha256, long sizeOverride) {
        return write(file, withSha256, sizeOverride, path -> true);
    }

    /**
     * Writes the catalog to {@code file}, leaving out the size of the files {@code withSize} rejects.
     *
     * @param withSha256   which files get a sha256 in the catalog
     * @param sizeOverride a size to write for every graph file instead of the real one, or -1
     * @param withSize     which files get a size in the catalog
     */
    public static Path write(Path file, Predicate<String> withSha256, long sizeOverride, Predicate<String> withSize) {
        return write(file, new Entry(FOLDER, ID, REPO, "SmolVLM", List.of("q4", "fp32")), withSha256, sizeOverride,
                withSize);
    }

    /**
     * What a catalog entry for a test folder says.
     *
     * @param folder the folder whose files the entry lists, served by a {@link LoopbackModelServer}
     * @param sets   the precision sets offered, the CPU recommendation first
     */
    public record Entry(Path folder, String id, String repo, String family, List<String> sets) {
    }

    /** Writes a catalog with one entry listing every file of its folder with size and sha256. */
    public static Path write(Path file, Entry entry) {
        return write(file, entry, path -> true, -1, path -> true);
    }

    private static Path write(Path file, Entry entry, Predicate<String> withSha256, long sizeOverride,
                              Predicate<String> withSize) {
        JsonArray files = new JsonArray();
        try (Stream<Path> paths = Files.walk(entry.folder())) {
            for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                String relative = entry.folder().relativize(path).toString().replace('\\', '/');
                if (relative.equals("README.md")) {
                    continue;
                }
                JsonObject listed = new JsonObject();
                listed.addProperty("path", relative);
                if (withSize.test(relative)) {
                    listed.addProperty("size", sizeOverride >= 0 && relative.startsWith("onnx/") ? sizeOverride
                            : Files.size(path));
                }
                if (withSha256.test(relative)) {
                    listed.addProperty("sha256", sha256(path));
                }
                files.add(listed);
            }
            JsonObject model = new JsonObject();
            model.addProperty("id", entry.id());
            model.addProperty("name", entry.id());
            model.addProperty("repo", entry.repo());
            model.addProperty("revision", REVISION);
            model.addProperty("description", "random weights, for tests");
            model.addProperty("family", entry.family());
            model.addProperty("good_at", "testing downloads");
            model.addProperty("licence", "Apache-2.0");
            JsonObject recommended = new JsonObject();
            recommended.addProperty("cpu", entry.sets().get(0));
            recommended.addProperty("gpu", "fp32");
            model.add("recommended_precision", recommended);
            JsonArray sets = new JsonArray();
            entry.sets().forEach(sets::add);
            model.add("precision_sets", sets);
            model.addProperty("verification", "test");
            model.add("files", files);
            JsonObject root = new JsonObject();
            root.addProperty("catalog_version", 1);
            root.addProperty("default_base_url", "http://127.0.0.1:9");
            JsonArray models = new JsonArray();
            models.add(model);
            root.add("models", models);
            Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(root));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
