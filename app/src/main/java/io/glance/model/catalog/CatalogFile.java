package io.glance.model.catalog;

/**
 * One file of a catalog model, by its path inside the published folder layout. Immutable; safe on any thread.
 *
 * @param path   forward-slash path inside the model folder, e.g. {@code onnx/decoder_model_merged_q4.onnx}
 * @param size   size in bytes, or {@code null} when the catalog does not know it
 * @param sha256 lowercase hex sha256, or {@code null} when the catalog does not know it (the download then
 *               trusts the server's sha256 ETag, or the size alone)
 */
public record CatalogFile(String path, Long size, String sha256) {
    public CatalogFile {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("..") || path.contains("\\")) {
            throw new IllegalArgumentException("bad catalog file path '" + path + "'");
        }
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("bad sha256 for " + path + ": '" + sha256 + "'");
        }
    }

    public boolean hasSize() {
        return size != null;
    }
}
