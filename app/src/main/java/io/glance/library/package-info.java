/**
 * The image library: captions every image of a folder with the active model into a sidecar index
 * ({@link io.glance.library.LibraryIndex}, JSON written to a temporary file and renamed), updated
 * incrementally by {@link io.glance.library.CaptionRun}, searched with Apache Lucene
 * ({@link io.glance.library.LibrarySearch}) and exported as CSV or JSON ({@link io.glance.library.IndexExport}).
 *
 * <p>Threads: a caption run is confined to the one inference thread that owns the model's
 * {@link io.glance.generation.ChatSession}; progress leaves it through a callback on that thread and other
 * threads reach it only through {@link io.glance.generation.Cancellation}. A built search is immutable and
 * safe on any thread. Nothing here prints.
 */
package io.glance.library;
