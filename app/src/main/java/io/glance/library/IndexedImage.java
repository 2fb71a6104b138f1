package io.glance.library;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;

/**
 * One image of a library index: its caption, its image–text embedding, or both. Its components are the index's
 * JSON keys and the export columns, in this order. Immutable; safe on any thread.
 *
 * @param path           path relative to the library folder, {@code /}-separated (the index key)
 * @param caption        the model's answer to {@code prompt}; {@code null} when only embedded
 * @param model          model id the caption was made with; {@code null} when only embedded
 * @param precision      precision the caption was made with; {@code null} when only embedded
 * @param prompt         question asked; {@code null} when only embedded
 * @param captionedAt    when, as an ISO-8601 instant
 * @param width          decoded width in pixels (EXIF orientation applied)
 * @param height         decoded height in pixels
 * @param sizeBytes      file size when captioned
 * @param modifiedMillis file modification time when captioned, in milliseconds since the epoch
 * @param sha256         SHA-256 of the file's bytes, lowercase hex
 * @param embeddingModel id of the image–text model ({@code folder precision}) the embedding was made with, or
 *                       {@code null}
 * @param embedding      the unit-length embedding as little-endian float32 bytes in Base64, or {@code null}
 */
public record IndexedImage(String path, String caption, String model, String precision, String prompt,
                           String captionedAt, int width, int height, long sizeBytes, long modifiedMillis,
                           String sha256, String embeddingModel, String embedding) {

    /** A captioned image without an embedding. */
    public IndexedImage(String path, String caption, String model, String precision, String prompt, String captionedAt,
                        int width, int height, long sizeBytes, long modifiedMillis, String sha256) {
        this(path, caption, model, precision, prompt, captionedAt, width, height, sizeBytes, modifiedMillis, sha256,
                null, null);
    }

    /** Whether it has a caption made with {@code setup}. */
    public boolean madeWith(CaptionSetup setup) {
        return caption != null && setup.model().equals(model) && setup.precision().equals(precision)
                && setup.prompt().equals(prompt);
    }

    /** Whether it has an embedding made with the model {@code id}. */
    public boolean embeddedWith(String id) {
        return embedding != null && id.equals(embeddingModel);
    }

    /** The same record for a file whose size or time changed but whose bytes did not. */
    public IndexedImage withFileTime(long newSizeBytes, long newModifiedMillis) {
        return new IndexedImage(path, caption, model, precision, prompt, captionedAt, width, height, newSizeBytes,
                newModifiedMillis, sha256, embeddingModel, embedding);
    }

    /** The same record with this embedding. */
    public IndexedImage withEmbedding(String modelId, float[] vector) {
        return new IndexedImage(path, caption, model, precision, prompt, captionedAt, width, height, sizeBytes,
                modifiedMillis, sha256, modelId, encode(vector));
    }

    /** The embedding, decoded. */
    public Optional<float[]> vector() {
        if (embedding == null) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(embedding)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(out);
        return Optional.of(out);
    }

    /** Little-endian float32 bytes in Base64: about 2.7 KB for 512 floats. */
    static String encode(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    /** The file in the library folder {@code root}. */
    public Path file(Path root) {
        return root.resolve(path);
    }
}
