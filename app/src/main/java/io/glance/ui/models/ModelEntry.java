package io.glance.ui.models;

import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogException;
import io.glance.model.catalog.CatalogFile;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.download.ByteCount;
import io.glance.model.download.DownloadException;
import io.glance.model.download.DownloadListener;
import io.glance.model.download.DownloadProgress;
import io.glance.model.download.DownloadState;
import io.glance.model.download.ModelDownload;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * View model of one model in the model manager: its precisions with sizes, what is installed, and its download
 * (progress per file and in total, speed, time left; pause, resume, cancel), remove and "use this model".
 * FX thread only; the download runs on the manager's download executor and its progress reaches the FX thread
 * coalesced (at most one update queued at a time).
 */
public final class ModelEntry {
    /**
     * What the I/O thread found about a model. Immutable.
     *
     * @param catalogModel the catalog entry, or null for an imported folder the catalog does not know
     * @param installed    whether the store has a folder for it
     * @param imageText    whether it is an image–text (CLIP-family) model: using it makes it the model of labels and
     *                     search by meaning, not the chat's
     */
    record Snapshot(String id, String name, String description, CatalogModel catalogModel, boolean bundled,
                    boolean installed, List<PrecisionOption> options, boolean imageText) {
    }

    private final ModelManagerViewModel manager;
    private final String id;
    private final ReadOnlyStringWrapper name = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper description = new ReadOnlyStringWrapper();
    private final ObservableList<PrecisionOption> options = FXCollections.observableArrayList();
    private final ObjectProperty<PrecisionOption> precision = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<DownloadState> downloadState = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyDoubleWrapper fileProgress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyDoubleWrapper totalProgress = new ReadOnlyDoubleWrapper();
    private final ReadOnlyStringWrapper fileText = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper totalText = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper downloadable = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper selectedInstalled = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper removable = new ReadOnlyBooleanWrapper();
    private final BooleanBinding downloading = Bindings.createBooleanBinding(this::isDownloading, downloadState);
    private final BooleanBinding paused = downloadState.isEqualTo(DownloadState.PAUSED);
    private final BooleanBinding started = downloadState.isNotNull();
    private Snapshot snapshot;
    /** The download in progress, set on the download thread once prepared; read on any thread. */
    private volatile ModelDownload download;

    ModelEntry(ModelManagerViewModel manager, Snapshot snapshot) {
        this.manager = manager;
        this.id = snapshot.id();
        precision.addListener((obs, old, chosen) -> updateAbilities());
    }

    public String id() {
        return id;
    }

    public ReadOnlyStringProperty nameProperty() {
        return name.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty descriptionProperty() {
        return description.getReadOnlyProperty();
    }

    /** The precision sets offered, with sizes and whether each is installed. */
    public ObservableList<PrecisionOption> options() {
        return options;
    }

    /** The precision set the buttons act on; writable by the picker. */
    public ObjectProperty<PrecisionOption> precisionProperty() {
        return precision;
    }

    /** "Bundled with Glance", "Installed: fp32, q4", "Not installed", or what the download is doing. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** A download is running or paused. */
    public BooleanBinding downloadingProperty() {
        return downloading;
    }

    /** The download is paused. */
    public BooleanBinding pausedProperty() {
        return paused;
    }

    /** A download was started since the manager opened (its progress is worth showing). */
    public BooleanBinding downloadStartedProperty() {
        return started;
    }

    /** Fraction of the current file, or -1 when its size is unknown. */
    public ReadOnlyDoubleProperty fileProgressProperty() {
        return fileProgress.getReadOnlyProperty();
    }

    /** Fraction of the whole download, or -1 when its size is unknown. */
    public ReadOnlyDoubleProperty totalProgressProperty() {
        return totalProgress.getReadOnlyProperty();
    }

    /** "onnx/decoder_model_merged_q4.onnx · 1.2 MB of 3.4 MB". */
    public ReadOnlyStringProperty fileTextProperty() {
        return fileText.getReadOnlyProperty();
    }

    /** "12.0 MB of 86.6 MB · 4.5 MB/s · 20 s left". */
    public ReadOnlyStringProperty totalTextProperty() {
        return totalText.getReadOnlyProperty();
    }

    /** The chosen precision can be downloaded (from the catalog, not installed, no download running). */
    public ReadOnlyBooleanProperty downloadableProperty() {
        return downloadable.getReadOnlyProperty();
    }

    /** The chosen precision is installed, so the model can be used in it. */
    public ReadOnlyBooleanProperty selectedInstalledProperty() {
        return selectedInstalled.getReadOnlyProperty();
    }

    /** The model has a folder in the store and no download runs. */
    public ReadOnlyBooleanProperty removableProperty() {
        return removable.getReadOnlyProperty();
    }

    /** Downloads the chosen precision on the download executor. Only ever started by the person. */
    public void download() {
        PrecisionOption chosen = precision.get();
        CatalogModel model = snapshot.catalogModel();
        if (chosen == null || model == null || model.bundled() || isDownloading()) {
            return;
        }
        PrecisionSet set = PrecisionSet.parse(chosen.precision());
        Listener listener = new Listener();
        download = null;
        downloadState.set(DownloadState.NOT_STARTED);
        fileProgress.set(0);
        totalProgress.set(0);
        fileText.set("");
        totalText.set("Starting " + chosen.precision() + " …");
        status.set("Downloading");
        updateAbilities();
        manager.downloads().execute(() -> {
            String failure = null;
            DownloadState end;
            try {
                ModelDownload prepared = manager.library().prepareDownload(model, set, listener);
                download = prepared;
                end = prepared.run();
            } catch (DownloadException | CatalogException | IllegalArgumentException e) {
                end = DownloadState.FAILED;
                failure = e.getMessage();
            }
            DownloadState finalState = end;
            String problem = failure;
            manager.ui().execute(() -> finished(chosen.precision(), finalState, problem));
        });
    }

    /** Pauses the download; partial files stay and {@link #resume} continues them. */
    public void pause() {
        ModelDownload running = download;
        if (running != null) {
            running.pause();
        }
    }

    public void resume() {
        ModelDownload running = download;
        if (running != null) {
            running.resume();
        }
    }

    /** Cancels the download; the partial file being written is deleted, verified files stay. */
    public void cancelDownload() {
        ModelDownload running = download;
        if (running != null) {
            running.cancel();
        }
    }

    /** Deletes the model's folder (not while downloading, not the bundled model). */
    public void remove() {
        if (!removable.get()) {
            return;
        }
        manager.io().execute(() -> {
            String result;
            try {
                result = manager.library().store().remove(id) ? "Removed " + id + "." : id + " was not installed.";
            } catch (IOException e) {
                result = "Could not remove " + id + ": " + e.getMessage();
            }
            String shown = result;
            manager.ui().execute(() -> manager.showMessage(shown));
            manager.refresh();
        });
    }

    /**
     * Makes this model, in the chosen precision, the one the app uses (the model reloads); an image–text model
     * becomes the model of labels and search by meaning instead.
     */
    public void use() {
        PrecisionOption chosen = precision.get();
        if (chosen != null && chosen.installed()) {
            if (snapshot != null && snapshot.imageText()) {
                manager.useImageText(id);
            } else {
                manager.use(id, chosen.precision());
            }
        }
    }

    /** FX thread: shows what the I/O thread found. */
    void update(Snapshot found) {
        snapshot = found;
        name.set(found.name());
        description.set(found.description());
        String kept = precision.get() == null ? null : precision.get().precision();
        options.setAll(found.options());
        String active = id.equals(manager.activeModelProperty().get()) ? manager.activePrecision() : null;
        String recommended = found.catalogModel() == null ? null : found.catalogModel().recommendedCpu().toString();
        precision.set(option(kept).or(() -> option(active)).or(() -> option(recommended))
                .orElse(found.options().isEmpty() ? null : found.options().get(0)));
        if (!isDownloading()) {
            status.set(describe(found));
        }
        updateAbilities();
    }

    /** Selects the precision the model was loaded in, when this entry offers it. */
    void showActivePrecision() {
        option(manager.activePrecision()).ifPresent(precision::set);
    }

    private Optional<PrecisionOption> option(String name) {
        return name == null ? Optional.empty() : options.stream().filter(o -> o.precision().equals(name)).findFirst();
    }

    private static String describe(Snapshot found) {
        if (found.bundled()) {
            return "Bundled with Glance";
        }
        List<String> installed = found.options().stream().filter(PrecisionOption::installed)
                .map(PrecisionOption::precision).toList();
        return installed.isEmpty() ? (found.installed() ? "Partly downloaded" : "Not installed")
                : "Installed: " + String.join(", ", installed);
    }

    private boolean isDownloading() {
        DownloadState state = downloadState.get();
        return state != null && !state.isFinal();
    }

    private void updateAbilities() {
        PrecisionOption chosen = precision.get();
        boolean downloading = isDownloading();
        boolean fromCatalog = snapshot != null && snapshot.catalogModel() != null && !snapshot.bundled();
        downloadable.set(fromCatalog && chosen != null && !chosen.installed() && !downloading);
        selectedInstalled.set(chosen != null && chosen.installed());
        removable.set(snapshot != null && snapshot.installed() && !snapshot.bundled() && !downloading);
    }

    private void finished(String chosenPrecision, DownloadState state, String failure) {
        download = null;
        downloadState.set(state);
        switch (state) {
            case DONE -> {
                totalProgress.set(1);
                fileProgress.set(1);
                totalText.set("Downloaded " + chosenPrecision + ".");
                manager.showMessage("Downloaded " + name.get() + " · " + chosenPrecision + ".");
            }
            case CANCELLED -> totalText.set("Cancelled; files already verified are kept.");
            default -> totalText.set("Download failed: " + failure);
        }
        fileText.set("");
        updateAbilities();
        manager.refresh();
    }

    private void showProgress(DownloadProgress progress) {
        fileProgress.set(progress.fileSize() > 0 ? Math.min(1, (double) progress.fileBytes() / progress.fileSize()) : -1);
        totalProgress.set(progress.fraction());
        fileText.set(progress.file() + " · " + ByteCount.format(progress.fileBytes()) + " of "
                + ByteCount.format(progress.fileSize()));
        StringBuilder text = new StringBuilder(ByteCount.format(progress.bytes()) + " of "
                + ByteCount.format(progress.totalBytes()));
        if (progress.bytesPerSecond() > 0) {
            text.append(" · ").append(ByteCount.format((long) progress.bytesPerSecond())).append("/s");
        }
        if (progress.remaining() != null) {
            text.append(" · ").append(ModelManagerViewModel.seconds(progress.remaining().toSeconds())).append(" left");
        }
        totalText.set(text.toString());
    }

    /** Download thread → FX thread, coalesced: only the newest progress is shown. */
    private final class Listener implements DownloadListener {
        private final AtomicReference<DownloadProgress> latest = new AtomicReference<>();
        private final AtomicBoolean queued = new AtomicBoolean();

        @Override
        public void stateChanged(DownloadState state) {
            manager.ui().execute(() -> {
                if (!state.isFinal() && isDownloading()) {
                    downloadState.set(state);
                    status.set(state == DownloadState.PAUSED ? "Paused" : "Downloading");
                    updateAbilities();
                }
            });
        }

        @Override
        public void progress(DownloadProgress progress) {
            latest.set(progress);
            if (queued.compareAndSet(false, true)) {
                manager.ui().execute(() -> {
                    queued.set(false);
                    showProgress(latest.get());
                });
            }
        }

        @Override
        public void verifying(CatalogFile file) {
            manager.ui().execute(() -> fileText.set("Verifying " + file.path() + " …"));
        }

        @Override
        public void retrying(CatalogFile file, int attempt, java.time.Duration delay, String reason) {
            manager.ui().execute(() -> fileText.set(String.format(Locale.ROOT, "%s: %s; retry %d in %d s",
                    file.path(), reason, attempt, delay.toSeconds())));
        }
    }
}
