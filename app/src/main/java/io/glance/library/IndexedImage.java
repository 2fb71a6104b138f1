package io.glance.library;

import java.nio.file.Path;

/**
 * One captioned image of a library index; its components are the index's JSON keys and the export columns,
 * in this order. Immutable; safe on any thread.
 *
 * @param path           path relative to the library folder, {@code /}-separated (the index key)
 * @param caption        the model's answer to {@code prompt}
 * @param model          model id the caption was made with
 * @param precision      precision the caption was made with
 * @param prompt         question asked
 * @param captionedAt    when, as an ISO-8601 instant
 * @param width          decoded width in pixels (EXIF orientation applied)
 * @param height         decoded height in pixels
 * @param sizeBytes      file size when captioned
 * @param modifiedMillis file modification time when captioned, in milliseconds since the epoch
 * @param sha256         SHA-256 of the file's bytes, lowercase hex
 */
public record IndexedImage(String path, String caption, String model, String precision, String prompt,
                           String captionedAt, int width, int height, long sizeBytes, long modifiedMillis,
                           String sha256) {

    /** Whether this caption was made with {@code setup}. */
    public boolean madeWith(CaptionSetup setup) {
        return model.equals(setup.model()) && precision.equals(setup.precision()) && prompt.equals(setup.prompt());
    }

    /** The same caption for a file whose size or time changed but whose bytes did not. */
    public IndexedImage withFileTime(long newSizeBytes, long newModifiedMillis) {
        return new IndexedImage(path, caption, model, precision, prompt, captionedAt, width, height, newSizeBytes,
                newModifiedMillis, sha256);
    }

    /** The file in the library folder {@code root}. */
    public Path file(Path root) {
        return root.resolve(path);
    }
}
