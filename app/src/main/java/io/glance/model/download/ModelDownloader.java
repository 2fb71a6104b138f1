package io.glance.model.download;

import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.store.ModelStore;

/**
 * Prepares downloads of catalog models into a {@link ModelStore}. Nothing here opens a connection until
 * {@link ModelDownload#run()} is called, and then only to {@link DownloadOptions#baseUrl()} (and the redirects
 * it answers with). Immutable; safe on any thread.
 */
public final class ModelDownloader {
    private final ModelStore store;
    private final DownloadOptions options;

    public ModelDownloader(ModelStore store, DownloadOptions options) {
        this.store = store;
        this.options = options;
    }

    /**
     * A download of one precision set of a model, not yet started; it knows what is missing and how big it is.
     *
     * @throws IllegalArgumentException when the model is bundled or the catalog lacks a file of the set
     */
    public ModelDownload prepare(CatalogModel model, PrecisionSet precisions, DownloadListener listener) {
        if (model.bundled()) {
            throw new IllegalArgumentException(model.id() + " is bundled with Glance; there is nothing to download");
        }
        return new ModelDownload(model, precisions, store.folderOf(model.id()), options, listener);
    }
}
