package io.glance.library;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Search over a library, in memory with Apache Lucene, by words, by meaning or both.
 * <ul>
 *   <li>Words: English analysis of the captions (lowercasing, stop words, Porter stemming, so "circles" finds
 *       "circle"), BM25 ranking of captions holding any of the words, with captions holding the words next to each
 *       other in order ("red circle", not "red square and a blue circle") ranked first.</li>
 *   <li>Meaning: Lucene's HNSW vector search over the pictures' image–text embeddings (cosine), queried with the
 *       embedding of a text or of another picture ("more like this"). Only the embeddings of one model are
 *       comparable: those of the model most of the library was embedded with.</li>
 *   <li>Both: reciprocal-rank fusion ({@value #FUSION_K}) of the two rankings.</li>
 * </ul>
 * Built once from a list of images; immutable afterwards and safe on any thread. Owns an in-memory Lucene index:
 * close it.
 */
public final class LibrarySearch implements AutoCloseable {
    /** Weight of the whole phrase against its single words. */
    static final float PHRASE_BOOST = 4f;
    /** The {@code k} of reciprocal-rank fusion: a hit's score is the sum of {@code 1 / (k + rank)}. */
    static final int FUSION_K = 60;
    /** How deep each ranking is read before fusing. */
    private static final int FUSION_DEPTH = 100;
    private static final String CAPTION = "caption";
    private static final String ORDINAL = "ordinal";
    private static final String VECTOR = "vector";

    /** How a search ranks. */
    public enum Mode {
        /** Caption words (BM25). */
        TEXT,
        /** Picture embeddings against the query's embedding. */
        SEMANTIC,
        /** Both, fused by rank. */
        HYBRID;

        /** @throws IllegalArgumentException naming the modes */
        public static Mode parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown search mode '" + name + "' (semantic, text or hybrid)");
            }
        }
    }

    private final Path root;
    private final List<IndexedImage> images;
    private final String embeddingModel;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
    private final DirectoryReader reader;
    private final IndexSearcher searcher;

    /** Indexes the captions of {@code index}. */
    public LibrarySearch(LibraryIndex index) {
        this(index.root(), index.images());
    }

    /**
     * @param root   the library folder the images' paths are relative to
     * @param images the captioned images
     */
    public LibrarySearch(Path root, List<IndexedImage> images) {
        this.root = root;
        this.images = List.copyOf(images);
        this.embeddingModel = embeddingModelOf(this.images).orElse(null);
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (int i = 0; i < this.images.size(); i++) {
                IndexedImage image = this.images.get(i);
                Document document = new Document();
                if (image.caption() != null) {
                    document.add(new TextField(CAPTION, image.caption(), Field.Store.NO));
                }
                if (embeddingModel != null && image.embeddedWith(embeddingModel)) {
                    document.add(new KnnFloatVectorField(VECTOR, image.vector().orElseThrow(),
                            VectorSimilarityFunction.COSINE));
                }
                document.add(new StoredField(ORDINAL, i));
                writer.addDocument(document);
            }
            writer.commit();
            reader = DirectoryReader.open(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory Lucene index failed", e);
        }
        searcher = new IndexSearcher(reader);
    }

    /**
     * The id of the image–text model whose embeddings a search over {@code images} compares: the one most of them
     * were embedded with (a tie goes to the id last in alphabetical order); empty when none has an embedding.
     */
    public static Optional<String> embeddingModelOf(List<IndexedImage> images) {
        return images.stream().map(IndexedImage::embeddingModel).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey);
    }

    /** The id of the image–text model whose embeddings are searched, when the library has embeddings. */
    public Optional<String> embeddingModel() {
        return Optional.ofNullable(embeddingModel);
    }

    /**
     * The images whose picture is most like {@code query} (an embedding of the searched model), best first.
     *
     * @param exclude a path to leave out (the picture a "more like this" starts from), or {@code null}
     */
    public List<SearchHit> searchByMeaning(float[] query, int limit, String exclude) {
        requirePositive(limit);
        if (embeddingModel == null) {
            return List.of();
        }
        List<SearchHit> hits = new ArrayList<>();
        for (ScoreDoc scored : scoredDocs(new KnnFloatVectorQuery(VECTOR, query, limit + 1), limit + 1)) {
            IndexedImage image = images.get(ordinal(scored));
            if (!image.path().equals(exclude) && hits.size() < limit) {
                // Lucene's cosine score is (1 + cosine) / 2
                hits.add(new SearchHit(image, image.file(root), 2 * scored.score - 1, 0, 2 * scored.score - 1));
            }
        }
        return hits;
    }

    /**
     * The pictures most like the indexed picture at {@code path}, best first, itself left out.
     *
     * @return empty when it has no embedding of the searched model
     */
    public List<SearchHit> similarTo(String path, int limit) {
        return images.stream().filter(image -> image.path().equals(path) && image.embeddedWith(embeddingModel))
                .findFirst().map(image -> searchByMeaning(image.vector().orElseThrow(), limit, path))
                .orElse(List.of());
    }

    /**
     * Ranks by {@code mode}: caption words, meaning (the embedding {@code query} of the words), or both fused.
     *
     * @param query the embedding of {@code words} by the searched model; ignored for {@link Mode#TEXT}
     */
    public List<SearchHit> search(String words, float[] query, Mode mode, int limit) {
        return switch (mode) {
            case TEXT -> search(words, limit);
            case SEMANTIC -> searchByMeaning(query, limit, null);
            case HYBRID -> fuse(search(words, FUSION_DEPTH), searchByMeaning(query, FUSION_DEPTH, null), limit);
        };
    }

    /** Reciprocal-rank fusion of a word ranking and a meaning ranking, keeping why each hit matched. */
    private static List<SearchHit> fuse(List<SearchHit> byWords, List<SearchHit> byMeaning, int limit) {
        Map<String, float[]> scores = new LinkedHashMap<>(); // path -> {fused score, text rank, similarity}
        Map<String, SearchHit> hits = new HashMap<>();
        for (int i = 0; i < byWords.size(); i++) {
            SearchHit hit = byWords.get(i);
            scores.put(hit.image().path(), new float[] {1f / (FUSION_K + i + 1), i + 1, Float.NaN});
            hits.put(hit.image().path(), hit);
        }
        for (int i = 0; i < byMeaning.size(); i++) {
            SearchHit hit = byMeaning.get(i);
            float[] entry = scores.computeIfAbsent(hit.image().path(), path -> new float[] {0, 0, Float.NaN});
            entry[0] += 1f / (FUSION_K + i + 1);
            entry[2] = hit.similarity();
            hits.putIfAbsent(hit.image().path(), hit);
        }
        return scores.entrySet().stream()
                .sorted(Comparator.comparingDouble((Map.Entry<String, float[]> e) -> -e.getValue()[0]))
                .limit(limit)
                .map(e -> {
                    SearchHit hit = hits.get(e.getKey());
                    return new SearchHit(hit.image(), hit.file(), e.getValue()[0], (int) e.getValue()[1], e.getValue()[2]);
                }).toList();
    }

    /**
     * The images whose caption matches any of {@code words}, best first.
     *
     * @param words free text; words Lucene ignores (stop words like "a", punctuation) do not count
     * @param limit at most this many hits
     * @return the hits; empty when nothing matches or no word is left to search for
     */
    public List<SearchHit> search(String words, int limit) {
        requirePositive(limit);
        Query query = query(words);
        if (query == null) {
            return List.of();
        }
        List<SearchHit> hits = new ArrayList<>();
        for (ScoreDoc scored : scoredDocs(query, limit)) {
            IndexedImage image = images.get(ordinal(scored));
            hits.add(new SearchHit(image, image.file(root), scored.score, hits.size() + 1, Float.NaN));
        }
        return hits;
    }

    private static void requirePositive(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
    }

    private ScoreDoc[] scoredDocs(Query query, int limit) {
        try {
            return searcher.search(query, limit).scoreDocs;
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory Lucene search failed", e);
        }
    }

    private int ordinal(ScoreDoc scored) {
        try {
            return searcher.storedFields().document(scored.doc).getField(ORDINAL).numericValue().intValue();
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory Lucene search failed", e);
        }
    }

    /** Any of the words, plus the words as a phrase, boosted; null when analysis leaves no word. */
    private Query query(String words) {
        QueryBuilder builder = new QueryBuilder(analyzer);
        Query anyWord = builder.createBooleanQuery(CAPTION, words, BooleanClause.Occur.SHOULD);
        if (anyWord == null) {
            return null;
        }
        Query phrase = builder.createPhraseQuery(CAPTION, words);
        BooleanQuery.Builder both = new BooleanQuery.Builder().add(anyWord, BooleanClause.Occur.SHOULD);
        if (phrase != null) {
            both.add(new BoostQuery(phrase, PHRASE_BOOST), BooleanClause.Occur.SHOULD);
        }
        return both.build();
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        analyzer.close();
    }
}
