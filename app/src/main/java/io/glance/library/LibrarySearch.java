package io.glance.library;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.QueryBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Full-text search over the captions of a library, in memory with Apache Lucene: English analysis
 * (lowercasing, stop words, Porter stemming, so "circles" finds "circle"), BM25 ranking of captions holding
 * any of the words, with captions holding the words next to each other in order ("red circle", not "red
 * square and a blue circle") ranked first. Built once from a list of captions; immutable afterwards and
 * safe on any thread. Owns an in-memory Lucene index: close it.
 */
public final class LibrarySearch implements AutoCloseable {
    /** Weight of the whole phrase against its single words. */
    static final float PHRASE_BOOST = 4f;
    private static final String CAPTION = "caption";
    private static final String ORDINAL = "ordinal";

    private final Path root;
    private final List<IndexedImage> images;
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
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
            for (int i = 0; i < this.images.size(); i++) {
                Document document = new Document();
                document.add(new TextField(CAPTION, this.images.get(i).caption(), Field.Store.NO));
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
     * The images whose caption matches any of {@code words}, best first.
     *
     * @param words free text; words Lucene ignores (stop words like "a", punctuation) do not count
     * @param limit at most this many hits
     * @return the hits; empty when nothing matches or no word is left to search for
     */
    public List<SearchHit> search(String words, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
        }
        Query query = query(words);
        if (query == null) {
            return List.of();
        }
        try {
            List<SearchHit> hits = new ArrayList<>();
            for (ScoreDoc scored : searcher.search(query, limit).scoreDocs) {
                int ordinal = searcher.storedFields().document(scored.doc).getField(ORDINAL).numericValue().intValue();
                IndexedImage image = images.get(ordinal);
                hits.add(new SearchHit(image, image.file(root), scored.score));
            }
            return hits;
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
