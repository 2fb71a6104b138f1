package io.glance.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.glance.library.IndexExport;
import io.glance.library.LibraryIndex;
import io.glance.library.LibrarySearch;
import io.glance.library.SearchHit;
import picocli.CommandLine.Command;
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
 * {@code glance search [--index FILE | DIR] WORDS...}: the captioned images of an index ranked by how well
 * their caption matches the words, one per line ({@code score  path  caption}) or as a JSON array; or, with
 * {@code --export csv|json --to FILE}, the whole index written as CSV or JSON. Runs on the calling thread.
 */
@Command(name = "search", description = "Find captioned images by words (ranked), or export the index as CSV or JSON.")
public final class SearchCommand implements Callable<Integer> {
    @Option(names = "--index", paramLabel = "FILE", description = "The index file (default: DIR/" + LibraryIndex.DEFAULT_FILE_NAME + ").")
    Path indexFile;

    @Parameters(paramLabel = "WORDS", arity = "0..*",
            description = "Without --index: the image folder first, then the words to search for.")
    List<String> arguments = new ArrayList<>();

    @Option(names = "--limit", description = "At most N hits (default: 20).")
    int limit = 20;

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
        try (LibrarySearch search = new LibrarySearch(index)) {
            hits = search.search(String.join(" ", words), limit);
        }
        if (json) {
            out.println(toJson(hits));
        } else {
            for (SearchHit hit : hits) {
                out.printf(Locale.ROOT, "%.3f  %s  %s%n", hit.score(), hit.image().path(), hit.image().caption());
            }
            if (hits.isEmpty()) {
                System.err.println("glance: no caption matches");
            }
        }
        return 0;
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

    private static String toJson(List<SearchHit> hits) {
        JsonArray array = new JsonArray();
        for (SearchHit hit : hits) {
            JsonObject object = new JsonObject();
            object.addProperty("path", hit.image().path());
            object.addProperty("file", hit.file().toString());
            object.addProperty("caption", hit.image().caption());
            object.addProperty("score", hit.score());
            array.add(object);
        }
        return new GsonBuilder().disableHtmlEscaping().create().toJson(array);
    }
}
