package io.glance.ui.models;

import io.glance.model.InvalidModelException;
import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogException;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.ContrastiveGraph;
import io.glance.model.catalog.FamilyNames;
import io.glance.model.download.ByteCount;
import io.glance.model.store.InstalledModel;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * View model of the model manager: every catalog model with its sizes per precision and what is installed,
 * downloads with progress (started only when the person asks), importing a folder, removing, and choosing the
 * model to use. FX thread only; the catalog and the store are read on the I/O executor, downloads run on the
 * download executor.
 */
public final class ModelManagerViewModel {
    private final ModelLibrary library;
    private final Executor io;
    private final Executor downloads;
    private final Executor ui;

    private final ObservableList<ModelEntry> entries = FXCollections.observableArrayList();
    private final ObservableList<ModelEntry> readOnlyEntries = FXCollections.unmodifiableObservableList(entries);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper activeModel = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper activeImageTextModel = new ReadOnlyStringWrapper("");
    private String activePrecision;
    private BiConsumer<String, String> onUse = (id, precision) -> { };
    private Consumer<String> onUseImageText = id -> { };

    /**
     * @param io        reads the catalog and the store, imports and removes
     * @param downloads runs downloads, one thread each
     * @param ui        runs UI updates ({@code Platform::runLater} in the app)
     */
    public ModelManagerViewModel(ModelLibrary library, Executor io, Executor downloads, Executor ui) {
        this.library = library;
        this.io = io;
        this.downloads = downloads;
        this.ui = ui;
    }

    /** The models, catalog order first, then imported ones; read-only to views. */
    public ObservableList<ModelEntry> entries() {
        return readOnlyEntries;
    }

    /** The latest message for people (imported, removed, why an import was refused), or empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The id of the model in use. */
    public ReadOnlyStringProperty activeModelProperty() {
        return activeModel.getReadOnlyProperty();
    }

    /** The id of the image–text model in use (labels, search by meaning). */
    public ReadOnlyStringProperty activeImageTextModelProperty() {
        return activeImageTextModel.getReadOnlyProperty();
    }

    /** Tells the manager which image–text model is in use. */
    public void setActiveImageTextModel(String modelId) {
        activeImageTextModel.set(modelId == null ? "" : modelId);
    }

    /** Tells the manager which model is in use. */
    public void setActiveModel(String modelId) {
        activeModel.set(modelId == null ? "" : modelId);
    }

    /**
     * Tells the manager the precision the model in use was loaded in, so that its entry shows that one
     * rather than the recommended one; {@code null} when no model is loaded.
     */
    public void setActivePrecision(String precision) {
        activePrecision = precision;
        String id = activeModel.get();
        entries.stream().filter(entry -> entry.id().equals(id)).forEach(ModelEntry::showActivePrecision);
    }

    /** The precision the model in use was loaded in, or {@code null}. */
    String activePrecision() {
        return activePrecision;
    }

    /** Receives "use this model" as (model id, precision). */
    public void setOnUse(BiConsumer<String, String> action) {
        onUse = action;
    }

    /** Reads the catalog and the store again (call when the manager opens). */
    public void refresh() {
        io.execute(() -> {
            List<ModelEntry.Snapshot> found = new ArrayList<>();
            String problem = null;
            List<CatalogModel> catalogModels = List.of();
            try {
                catalogModels = library.catalog().models();
            } catch (CatalogException e) {
                problem = "The model catalog cannot be read: " + e.getMessage();
            }
            List<InstalledModel> installed = library.store().installed();
            for (CatalogModel model : catalogModels) {
                found.add(snapshot(model, installed.stream().filter(m -> m.id().equals(model.id())).findFirst()));
            }
            for (InstalledModel model : installed) {
                if (catalogModels.stream().noneMatch(c -> c.id().equals(model.id()))) {
                    found.add(new ModelEntry.Snapshot(model.id(), model.id(), FamilyNames.of(model.folder()) + ": imported folder " + model.folder(),
                            null, false, true, model.precisions().stream()
                            .map(p -> new PrecisionOption(p.toString(), "", true)).toList(),
                            !ContrastiveGraph.towerPrecisions(model.folder()).isEmpty()));
                }
            }
            String shown = problem;
            ui.execute(() -> {
                show(found);
                if (shown != null) {
                    message.set(shown);
                }
            });
        });
    }

    /**
     * Copies a model folder in the published layout into the store (under the folder's name), after the
     * engine's checks; says why when the folder is refused.
     */
    public void importFolder(Path folder) {
        String id = folder.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "-").replaceAll("^[._-]+", "");
        message.set("Importing " + folder + " …");
        io.execute(() -> {
            String result;
            try {
                InstalledModel imported = library.store().importFolder(folder, id.isEmpty() ? "imported" : id, null);
                result = "Imported " + imported.id() + " (" + imported.precisions() + ").";
            } catch (InvalidModelException e) {
                result = "Not imported: " + e.getMessage();
            } catch (IOException | IllegalArgumentException e) {
                result = "Not imported: " + e.getMessage();
            }
            String shown = result;
            ui.execute(() -> message.set(shown));
            refresh();
        });
    }

    /** Cancels running downloads (their partial files stay for a later resume). */
    public void close() {
        entries.forEach(ModelEntry::cancelDownload);
    }

    // ---- used by ModelEntry ----

    ModelLibrary library() {
        return library;
    }

    Executor io() {
        return io;
    }

    Executor downloads() {
        return downloads;
    }

    Executor ui() {
        return ui;
    }

    void showMessage(String text) {
        message.set(text);
    }

    /** What happens when an image–text model is chosen: the app makes it the model of labels and search by meaning. */
    public void setOnUseImageText(Consumer<String> action) {
        onUseImageText = action;
    }

    void useImageText(String modelId) {
        onUseImageText.accept(modelId);
        activeImageTextModel.set(modelId);
        message.set("Labels and search by meaning use " + modelId + " from their next use.");
    }

    void use(String modelId, String precision) {
        onUse.accept(modelId, precision);
        activeModel.set(modelId);
        message.set("Using " + modelId + " · " + precision + ".");
    }

    /** I/O thread: what the manager shows for one catalog model. */
    private static ModelEntry.Snapshot snapshot(CatalogModel model, Optional<InstalledModel> installed) {
        List<PrecisionOption> options = new ArrayList<>();
        for (PrecisionSet set : model.precisionSets()) {
            boolean has = model.bundled() || installed.map(m -> m.has(set)).orElse(false);
            options.add(new PrecisionOption(set.toString(), model.bundled() ? "bundled" : size(model, set), has));
        }
        return new ModelEntry.Snapshot(model.id(), model.name(), model.summary(), model, model.bundled(),
                installed.isPresent(), options, model.imageText());
    }

    private static String size(CatalogModel model, PrecisionSet set) {
        CatalogModel.DownloadSize size = model.downloadSize(set);
        if (size.knownBytes() == 0 && size.filesWithoutSize() > 0) {
            return "size unknown";
        }
        return (size.filesWithoutSize() > 0 ? "≥ " : "") + ByteCount.format(size.knownBytes());
    }

    /** FX thread: updates entries in place (a running download keeps its entry), adds and drops the rest. */
    private void show(List<ModelEntry.Snapshot> found) {
        List<ModelEntry> next = new ArrayList<>();
        for (ModelEntry.Snapshot snapshot : found) {
            ModelEntry entry = entries.stream().filter(e -> e.id().equals(snapshot.id())).findFirst()
                    .orElseGet(() -> new ModelEntry(this, snapshot));
            entry.update(snapshot);
            next.add(entry);
        }
        entries.setAll(next);
    }

    static String seconds(long totalSeconds) {
        return totalSeconds >= 3600 ? String.format(Locale.ROOT, "%d h %02d min", totalSeconds / 3600, totalSeconds % 3600 / 60)
                : totalSeconds >= 60 ? String.format(Locale.ROOT, "%d min %02d s", totalSeconds / 60, totalSeconds % 60)
                : totalSeconds + " s";
    }
}
