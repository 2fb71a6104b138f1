package io.glance.library;

/**
 * A file of the library that could not be captioned. Immutable; safe on any thread.
 *
 * @param path   path relative to the library folder, {@code /}-separated
 * @param reason why, meant for the user as it is (not an image, corrupt, permission denied, …)
 */
public record SkippedFile(String path, String reason) {
}
