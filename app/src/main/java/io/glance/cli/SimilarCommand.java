package io.glance.cli;

import io.glance.model.ContrastiveGraph;
import io.glance.library.LibraryIndex;
import io.glance.library.LibrarySearch;
import io.glance.library.SearchHit;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code glance similar [--index FILE] IMAGE}: the pictures of a library that look most like IMAGE, by their
 * stored CLIP-family embeddings. IMAGE may be a picture of the library (its stored embedding is used, and it is left
 * out of the answer) or any other picture (embedded with the library's model). The index defaults to the one of
 * IMAGE's folder or the nearest folder above it that has one. Output as {@code search}'s. Runs on the calling thread.
 */
@Command(name = "similar", description = "Find the pictures of an index that look most like a picture (needs embeddings).")
public final class SimilarCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IMAGE", description = "A picture, in the library or not.")
    Path image;

    @Option(names = "--index", paramLabel = "FILE",
            description = "The index file (default: the " + LibraryIndex.DEFAULT_FILE_NAME + " of IMAGE's folder or above).")
    Path indexFile;

    @Option(names = "--limit", paramLabel = "N", description = "At most N pictures (default: 20).")
    int limit = 20;

    @Option(names = "--json", description = "Print the hits as one JSON array.")
    boolean json;

    @Mixin
    LibraryEmbeddingOptions embeddingOptions = new LibraryEmbeddingOptions();

    @Mixin
    CpuOptions cpu = new CpuOptions();

    private final ModelLocator locator;

    public SimilarCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(image)) {
            throw new UsageException(image + ": no such file");
        }
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        LibraryIndex index;
        try {
            index = LibraryIndex.read(indexFile != null ? indexFile : nearestIndex(image));
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
        List<SearchHit> hits;
        try (LibrarySearch search = new LibrarySearch(index)) {
            String model = search.embeddingModel().orElseThrow(() -> new UsageException(index.file()
                    + " has no embeddings; store them with glance caption DIR --embeddings-only"));
            Path absolute = image.toAbsolutePath().normalize();
            String key = absolute.startsWith(index.root())
                    ? index.root().relativize(absolute).toString().replace(absolute.getFileSystem().getSeparator(), "/")
                    : null;
            boolean stored = key != null && index.image(key).map(known -> known.embeddedWith(model)).orElse(false);
            if (stored) {
                hits = search.similarTo(key, limit);
            } else {
                try (DecodedImage picture = new ImageDecoder().decode(image);
                     OnnxEmbeddingModel embedder = embeddingOptions.load(locator, ContrastiveGraph.VISION,
                             cpu.threading(), model)) {
                    hits = search.searchByMeaning(embedder.embedImages(List.of(picture))[0], limit, key);
                }
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(SearchCommand.toJson(hits));
        } else {
            hits.forEach(hit -> SearchCommand.printHit(hit, out));
        }
        return 0;
    }

    /** The index file of the picture's folder or the nearest folder above it that has one. */
    private static Path nearestIndex(Path picture) throws UsageException {
        for (Path dir = picture.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(LibraryIndex.DEFAULT_FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new UsageException("no " + LibraryIndex.DEFAULT_FILE_NAME + " in " + picture.toAbsolutePath().getParent()
                + " or above; give --index FILE");
    }
}
