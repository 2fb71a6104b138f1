package io.glance.library;

/**
 * A file of the library that could not be captioned. Immutable; safe on any thread.
 *
 * @param path   path relative to the library folder, {@code /}-separated
 * @param reason why, meant for the user as it is (not an image, corrupt, permission denied, …)
 */
public record SkippedFile(String path, String reason) {

    /** Whether it was skipped for not being an image file at all (rather than a picture that could not be read). */
    public boolean notAnImage() {
        return reason.equals(CaptionRun.NOT_AN_IMAGE);
    }
}
