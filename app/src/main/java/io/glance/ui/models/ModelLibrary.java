package io.glance.ui.models;

import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogException;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.catalog.ModelCatalog;
import io.glance.model.download.DownloadListener;
import io.glance.model.download.DownloadOptions;
import io.glance.model.download.ModelDownload;
import io.glance.model.download.ModelDownloader;
import io.glance.model.store.InstalledModel;
import io.glance.model.store.ModelStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The models the desktop app knows: the catalog (read lazily from its file, never from the network) and the
 * model store. Downloads are only prepared here; they start when {@link ModelDownload#run()} is called.
 * Reads files: call from the I/O thread or a download thread. Thread-safe.
 */
public final class ModelLibrary {
    private final Supplier<Path> catalogFile;
    private final ModelStore store;
    private final Supplier<Duration> readTimeout;
    private ModelCatalog catalog;

    /**
     * @param catalogFile finds the catalog file; may throw with a message for people when there is none
     * @param store       where models are installed
     * @param readTimeout how long a download waits for the next bytes (the setting), asked at each download
     */
    public ModelLibrary(Supplier<Path> catalogFile, ModelStore store, Supplier<Duration> readTimeout) {
        this.catalogFile = catalogFile;
        this.store = store;
        this.readTimeout = readTimeout;
    }

    public ModelStore store() {
        return store;
    }

    /**
     * The catalog, read once.
     *
     * @throws CatalogException when it cannot be found or read
     */
    public synchronized ModelCatalog catalog() throws CatalogException {
        if (catalog == null) {
            Path file;
            try {
                file = catalogFile.get();
            } catch (RuntimeException e) {
                throw new CatalogException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
            catalog = ModelCatalog.load(file);
        }
        return catalog;
    }

    /** The bundled model and every installed one, with the precisions each offers. */
    public List<ModelChoice> choices() {
        List<ModelChoice> choices = new ArrayList<>();
        List<CatalogModel> known = List.of();
        try {
            known = catalog().models();
        } catch (CatalogException noCatalog) {
            // without a catalog the installed models are still offered, by folder name
        }
        for (CatalogModel model : known) {
            if (model.bundled()) {
                choices.add(new ModelChoice(model.id(), model.name(),
                        model.precisionSets().stream().map(PrecisionSet::toString).toList()));
            }
        }
        for (InstalledModel installed : store.installed()) {
            String name = known.stream().filter(m -> m.id().equals(installed.id())).map(CatalogModel::name)
                    .findFirst().orElse(installed.id());
            choices.add(new ModelChoice(installed.id(), name,
                    installed.precisions().stream().map(Precision::toString).toList()));
        }
        return choices;
    }

    /** The installed model with this id, if any. */
    public Optional<InstalledModel> installed(String id) {
        return store.find(id);
    }

    /**
     * A download of one precision set, not started; files come from the catalog's base URL.
     *
     * @throws CatalogException when the catalog cannot be read
     */
    public ModelDownload prepareDownload(CatalogModel model, PrecisionSet precisions, DownloadListener listener)
            throws CatalogException {
        return new ModelDownloader(store, downloadOptions()).prepare(model, precisions, listener);
    }

    /**
     * What the next download runs with: the downloader's defaults from the catalog's base URL, with the read timeout
     * the settings hold now.
     *
     * @throws CatalogException when the catalog cannot be read
     */
    public DownloadOptions downloadOptions() throws CatalogException {
        DownloadOptions defaults = DownloadOptions.defaults(catalog().defaultBaseUrl());
        return new DownloadOptions(defaults.baseUrl(), defaults.connectTimeout(), readTimeout.get(),
                defaults.maxAttempts(), defaults.firstBackoff());
    }
}
