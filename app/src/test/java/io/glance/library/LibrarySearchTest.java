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
}
