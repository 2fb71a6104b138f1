package io.glance.library;

import java.nio.file.Path;

/**
 * One image found by a {@link LibrarySearch}. Immutable; safe on any thread.
 *
 * @param image the indexed image (path, caption, size, …)
 * @param file  the image file, absolute (to open, reveal or thumbnail it)
 * @param score Lucene relevance score; higher ranks first, comparable only within one search
 */
public record SearchHit(IndexedImage image, Path file, float score) {
}
