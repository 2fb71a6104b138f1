package io.glance.library;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One image found by a {@link LibrarySearch}, with why it matched. Immutable; safe on any thread.
 *
 * @param image      the indexed image (path, caption, size, …)
 * @param file       the image file, absolute (to open, reveal or thumbnail it)
 * @param score      relevance; higher ranks first, comparable only within one search (BM25 for words alone,
 *                   cosine similarity for meaning alone, reciprocal-rank fusion for both)
 * @param textRank   1-based rank among the captions that match the words, or 0 when its caption does not match
 * @param similarity cosine similarity of its picture to the query, or {@code NaN} when not compared
 */
public record SearchHit(IndexedImage image, Path file, float score, int textRank, float similarity) {

    /** A hit found by its caption alone. */
    public SearchHit(IndexedImage image, Path file, float score) {
        this(image, file, score, 0, Float.NaN);
    }

    /** Why it matched, for people: {@code caption matches the words (#2); picture similar to the query (0.31)}. */
    public String why() {
        List<String> reasons = new ArrayList<>();
        if (textRank > 0) {
            reasons.add("caption matches the words (#" + textRank + ")");
        }
        if (!Float.isNaN(similarity)) {
            reasons.add(String.format(Locale.ROOT, "picture similar to the query (%.2f)", similarity));
        }
        return reasons.isEmpty() ? "caption matches the words" : String.join("; ", reasons);
    }
}
