package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.model.ContrastiveGraph;
import io.glance.library.IndexExport;
import io.glance.library.LibraryIndex;
import io.glance.library.LibrarySearch;
import io.glance.library.SearchHit;
import io.glance.onnx.OnnxEmbeddingModel;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code glance search [--index FILE | DIR] [--mode semantic|text|hybrid] WORDS...}: the pictures of an index ranked
 * by how well their caption matches the words, by how much they look like what the words say (their stored
 * CLIP-family embeddings against the words' embedding), or both fused, one per line
 * ({@code score  path  caption  (why)}) or as a JSON array; or, with
 * {@code --export csv|json --to FILE}, the whole index written as CSV or JSON. Runs on the calling thread.
 */
@Command(name = "search", description = "Find pictures of an index by words, by meaning or both (ranked), or export the index as CSV or JSON.")
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", paramLabel = "FILE", description = "The index file (default: DIR/" + LibraryIndex.DEFAULT_FILE_NAME + ").")
    Path indexFile;

    @Parameters(paramLabel = "WORDS", arity = "0..*",
            description = "Without --index: the image folder first, then the words to search for.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--limit", paramLabel = "N", description = "At most N hits (default: 20).")
    int limit = 20;

    @Option(names = "--mode", paramLabel = "semantic|text|hybrid", description = "Rank by caption words (text), by "
            + "what the pictures look like (semantic, needs embeddings: caption --embeddings), or both fused "
            + "(hybrid; the default when the index has embeddings, else text).")
    String mode;

    @Mixin
    LibraryEmbeddingOptions embeddingOptions = new LibraryEmbeddingOptions();

    @Mixin
    CpuOptions cpu = new CpuOptions();

    private final ModelLocator locator;

    public SearchCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Option(names = "--json", description = "Print the hits as one JSON array.")
    boolean json;

    @Option(names = "--export", paramLabel = "csv|json", description = "Write the whole index in this format to --to FILE instead of searching.")
    String export;

    @Option(names = "--to", paramLabel = "FILE", description = "The export file.")
    Path exportFile;

    @Override
    public Integer call() throws Exception {
        List<String> words = new ArrayList<>(arguments);
        Path file = indexFile != null ? indexFile : indexOfFolder(words);
        LibraryIndex index;
        try {
            index = LibraryIndex.read(file);
        } catch (IOException e) {
            throw new UsageException(e.getMessage());
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (export != null) {
            return export(index, words, out);
        }
        if (words.isEmpty()) {
            throw new UsageException("give the words to search for (or --export csv|json --to FILE)");
        }
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        List<SearchHit> hits;
        String query = String.join(" ", words);
        try (LibrarySearch search = new LibrarySearch(index)) {
            LibrarySearch.Mode chosen = chosenMode(search);
            if (chosen == LibrarySearch.Mode.TEXT) {
                hits = search.search(query, limit);
            } else {
                try (OnnxEmbeddingModel embedder = embeddingOptions.load(locator, ContrastiveGraph.TEXT,
                        cpu.threading(), search.embeddingModel().orElseThrow())) {
                    hits = search.search(query, embedder.embedTexts(List.of(query))[0], chosen, limit);
                }
            }
        }
        if (json) {
            out.println(toJson(hits));
        } else {
            for (SearchHit hit : hits) {
                printHit(hit, out);
            }
            if (hits.isEmpty()) {
                System.err.println("glance: no caption matches");
            }
        }
        return 0;
    }

    private LibrarySearch.Mode chosenMode(LibrarySearch search) throws UsageException {
        if (mode == null) {
            return search.embeddingModel().isPresent() ? LibrarySearch.Mode.HYBRID : LibrarySearch.Mode.TEXT;
        }
        LibrarySearch.Mode chosen;
        try {
            chosen = LibrarySearch.Mode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (chosen != LibrarySearch.Mode.TEXT && search.embeddingModel().isEmpty()) {
            throw new UsageException("--mode " + mode + " needs embeddings, and this index has none; store them with "
                    + "glance caption DIR --embeddings-only");
        }
        return chosen;
    }

    /** {@code score  path  caption  (why)}. */
    static void printHit(SearchHit hit, PrintStream out) {
        out.printf(Locale.ROOT, "%.3f  %s  %s  (%s)%n", hit.score(), hit.image().path(),
                hit.image().caption() == null ? "-" : hit.image().caption(), hit.why());
    }

    /** Takes the folder from the front of {@code words} and gives its index file. */
    private static Path indexOfFolder(List<String> words) throws UsageException {
        if (words.isEmpty() || !Files.isDirectory(Path.of(words.get(0)))) {
            throw new UsageException("give the image folder before the words, or --index FILE");
        }
        return Path.of(words.remove(0)).resolve(LibraryIndex.DEFAULT_FILE_NAME);
    }

    private int export(LibraryIndex index, List<String> words, PrintStream out) throws UsageException, IOException {
        if (!words.isEmpty()) {
            throw new UsageException("--export writes the whole index: give no search words");
        }
        if (exportFile == null) {
            throw new UsageException("--export needs --to FILE");
        }
        IndexExport.Format format;
        try {
            format = IndexExport.Format.parse(export);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        IndexExport.write(index.images(), format, exportFile);
        out.println("exported " + index.images().size() + " images to " + exportFile);
        return 0;
    }

    static String toJson(List<SearchHit> hits) {
        JsonArray array = new JsonArray();
        for (SearchHit hit : hits) {
            JsonObject object = new JsonObject();
            object.addProperty("path", hit.image().path());
            object.addProperty("file", hit.file().toString());
            object.addProperty("caption", hit.image().caption());
            object.addProperty("score", hit.score());
            object.addProperty("why", hit.why());
            if (hit.textRank() > 0) {
                object.addProperty("text_rank", hit.textRank());
            }
            if (!Float.isNaN(hit.similarity())) {
                object.addProperty("similarity", hit.similarity());
            }
            array.add(object);
        }
        return new GsonBuilder().disableHtmlEscaping().create().toJson(array);
    }
}
