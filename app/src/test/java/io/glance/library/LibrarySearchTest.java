package io.glance.library;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranking, stemming and stop words of the caption search, on hand-made captions. */
class LibrarySearchTest {
    private static final Path ROOT = Path.of("/photos").toAbsolutePath();

    private static LibrarySearch search(String... captions) {
        List<IndexedImage> images = new ArrayList<>();
        for (int i = 0; i < captions.length; i++) {
            images.add(LibraryIndexTest.image("img" + i + ".png", captions[i]));
        }
        return new LibrarySearch(ROOT, images);
    }

    private static List<String> paths(List<SearchHit> hits) {
        return hits.stream().map(hit -> hit.image().path()).toList();
    }

    @Test
    void aCaptionWithTheWordsRanksAboveOneWithout() {
        try (LibrarySearch search = search("A green triangle.", "A red circle and a blue square.")) {
            List<SearchHit> hits = search.search("red circle", 10);
            assertEquals(List.of("img1.png"), paths(hits));
            assertEquals(ROOT.resolve("img1.png"), hits.get(0).file());
            assertEquals("A red circle and a blue square.", hits.get(0).image().caption());
            assertTrue(hits.get(0).score() > 0);
        }
    }

    @Test
    void theWordsTogetherRankAboveTheWordsApartAboveOneWord() {
        try (LibrarySearch search = search("A red square and a blue circle.", "A green triangle.",
                "A blue circle.", "A yellow square and a red circle.")) {
            assertEquals(List.of("img3.png", "img0.png", "img2.png"), paths(search.search("red circle", 10)));
        }
    }

    @Test
    void pluralsAndOtherFormsMatchByTheirStem() {
        try (LibrarySearch search = search("A red circle.", "Two dogs running on a beach.", "A green triangle.")) {
            assertEquals(List.of("img0.png"), paths(search.search("circles", 10)));
            assertEquals(List.of("img1.png"), paths(search.search("dog runs", 10)));
            assertEquals(List.of("img0.png"), paths(search.search("RED", 10)));
        }
    }

    @Test
    void stopWordsAloneFindNothingAndTheLimitHolds() {
        try (LibrarySearch search = search("A red circle.", "A red square.", "A red triangle.")) {
            assertTrue(search.search("a the and", 10).isEmpty());
            assertTrue(search.search("  ", 10).isEmpty());
            assertEquals(2, search.search("red", 2).size());
            assertThrows(IllegalArgumentException.class, () -> search.search("red", 0));
        }
    }

    /** An image whose embedding points at {@code angle} radians in the first plane (unit length). */
    private static IndexedImage embedded(String path, String caption, double angle) {
        return LibraryIndexTest.image(path, caption).withEmbedding("clip fp32",
                new float[] {(float) Math.cos(angle), (float) Math.sin(angle), 0});
    }

    private static final float[] QUERY = {1, 0, 0};

    @Test
    void meaningRanksByCosineAndSimilarLeavesThePictureItselfOut() {
        List<IndexedImage> images = List.of(embedded("far.png", "A dog.", 1.2), embedded("near.png", "A cat.", 0.1),
                embedded("middle.png", "A car.", 0.6), LibraryIndexTest.image("no-vector.png", "A red circle."));
        try (LibrarySearch search = new LibrarySearch(ROOT, images)) {
            assertEquals("clip fp32", search.embeddingModel().orElseThrow());
            List<SearchHit> hits = search.searchByMeaning(QUERY, 10, null);
            assertEquals(List.of("near.png", "middle.png", "far.png"), paths(hits));
            assertEquals(Math.cos(0.1), hits.get(0).similarity(), 1e-5);
            assertTrue(hits.get(0).why().contains("similar"), hits.get(0).why());
            assertEquals(List.of("middle.png", "far.png"), paths(search.similarTo("near.png", 10)));
            assertTrue(search.similarTo("no-vector.png", 10).isEmpty());
        }
    }

    @Test
    void hybridFusesTheRanksSoAPictureFoundBothWaysComesFirst() {
        List<IndexedImage> images = List.of(
                embedded("words-only.png", "A red circle.", 1.5),
                embedded("both.png", "A red circle and a square.", 0.3),
                embedded("looks-only.png", "A blue triangle.", 0.0),
                embedded("filler1.png", "A dog.", 0.5), embedded("filler2.png", "A cat.", 0.7),
                embedded("filler3.png", "A car.", 0.9));
        try (LibrarySearch search = new LibrarySearch(ROOT, images)) {
            List<SearchHit> hits = search.search("red circle", QUERY, LibrarySearch.Mode.HYBRID, 10);
            assertEquals("both.png", hits.get(0).image().path());
            assertTrue(hits.get(0).why().contains("caption matches") && hits.get(0).why().contains("similar"),
                    hits.get(0).why());
            assertEquals(6, hits.size());
            assertEquals(List.of("words-only.png", "both.png"), paths(search.search("red circle", QUERY, LibrarySearch.Mode.TEXT, 10)));
            assertEquals("looks-only.png", search.search("red circle", QUERY, LibrarySearch.Mode.SEMANTIC, 10).get(0).image().path());
        }
    }

    @Test
    void embeddingsOfAnotherModelAreNotComparedAndAnImageWithoutCaptionIsFoundOnlyByMeaning() {
        IndexedImage other = LibraryIndexTest.image("other.png", "A red circle.").withEmbedding("siglip fp32",
                new float[] {1, 0, 0});
        IndexedImage uncaptioned = new IndexedImage("plain.png", null, null, null, null, null, 10, 10, 1, 1, "00")
                .withEmbedding("clip fp32", new float[] {0.9f, 0.1f, 0});
        try (LibrarySearch search = new LibrarySearch(ROOT, List.of(other, uncaptioned, embedded("c.png", "A cat.", 1.0)))) {
            assertEquals("clip fp32", search.embeddingModel().orElseThrow(), "the model most pictures were embedded with");
            assertEquals(List.of("plain.png", "c.png"), paths(search.searchByMeaning(QUERY, 10, null)));
            assertEquals(List.of("other.png"), paths(search.search("red circle", 10)));
        }
    }
}
