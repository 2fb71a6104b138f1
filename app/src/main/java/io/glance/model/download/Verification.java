package io.glance.model.download;

/** How an installed file was checked before it was moved into place. */
public enum Verification {
    /** sha256 from the catalog matched. */
    SHA256_FROM_CATALOG,
    /** sha256 from the server's {@code X-Linked-Etag} / {@code ETag} matched (the catalog had none). */
    SHA256_FROM_SERVER,
    /** Neither the catalog nor the server gave a sha256; the size matched. */
    SIZE_ONLY
}
