package io.glance.cli;

import io.glance.embedding.ContrastiveFolder;
import io.glance.model.ContrastiveGraph;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.model.catalog.CatalogException;
import io.glance.model.catalog.CatalogModel;
import io.glance.model.catalog.FamilyNames;
import io.glance.model.catalog.ModelCatalog;
import io.glance.model.download.ByteCount;
import io.glance.model.download.DownloadException;
import io.glance.model.download.DownloadOptions;
import io.glance.model.download.DownloadState;
import io.glance.model.download.ModelDownload;
import io.glance.model.download.ModelDownloader;
import io.glance.model.store.InstalledModel;
import io.glance.model.store.ModelStore;
import io.glance.session.ModelLocator;
import io.glance.settings.LoadedSettings;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code glance models list|pull|import|remove|use}: the model manager without the GUI. Results go to stdout,
 * progress and notices to stderr. Only {@code pull} opens a connection, to the base URL alone. Runs on the
 * calling thread.
 */
@Command(name = "models", description = "List, download, import, remove and choose models.")
public final class ModelsCommand {
    private final ModelLocator locator;
    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    private final PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);

    public ModelsCommand(ModelLocator locator) {
        this.locator = locator;
    }

    @Command(name = "list", description = "Show catalog and installed models, their sizes and the active ones (*: the "
            + "chat's model and the image–text model).")
    int list() throws UsageException, CatalogException {
        ModelCatalog catalog = catalog();
        ModelStore store = store();
        Settings settings = settings();
        out.printf(Locale.ROOT, "%-2s%-30s %-22s %-12s %s%n", "", "ID", "INSTALLED", "DOWNLOAD", "DESCRIPTION");
        for (CatalogModel model : catalog.models()) {
            String installed = model.bundled() ? bundledPrecisions(model)
                    : store.find(model.id()).map(ModelsCommand::precisionsOf).orElse("-");
            String download = model.bundled() ? "bundled" : formatSize(model.downloadSize(model.recommendedCpu()));
            out.printf(Locale.ROOT, "%-2s%-30s %-22s %-12s %s%n", marker(settings, model.id()), model.id(),
                    installed, download, model.summary());
            if (!model.bundled()) {
                out.printf(Locale.ROOT, "%-2s%-30s %s%n", "", "", sizesPerPrecision(model));
            }
        }
        for (InstalledModel model : store.installed()) {
            if (catalog.find(model.id()).isEmpty()) {
                out.printf(Locale.ROOT, "%-2s%-30s %-22s %-12s %s%n", marker(settings, model.id()), model.id(),
                        precisionsOf(model), "imported", FamilyNames.of(model.folder()) + ": " + model.folder());
            }
        }
        out.println();
        out.println("DOWNLOAD: the recommended CPU precision set ('+': plus files of unknown size, "
                + "'?': size not in the catalog). Models folder: " + store.root());
        return 0;
    }

    private static String sizesPerPrecision(CatalogModel model) {
        List<String> sizes = new ArrayList<>();
        for (PrecisionSet set : model.precisionSets()) {
            sizes.add(set + " " + formatSize(model.downloadSize(set)));
        }
        return "sizes: " + String.join(", ", sizes);
    }

    @Command(name = "pull", description = "Download a catalog model (resumes an interrupted download).")
    int pull(@Parameters(paramLabel = "ID", description = "Catalog id, name or repository.") String id,
             @Option(names = "--precision", paramLabel = "<precision>", description = "Precision set (default: the model's CPU recommendation).")
             String precision,
             @Option(names = "--base-url", paramLabel = "<url>", description = "Download server (default: the catalog's, https://huggingface.co).")
             URI baseUrl,
             @Option(names = "--attempts", paramLabel = "<attempts>", defaultValue = "" + DownloadOptions.DEFAULT_ATTEMPTS,
                     description = "Tries per file without progress before giving up (default: ${DEFAULT-VALUE}).") int attempts,
             @Option(names = "--read-timeout", paramLabel = "<seconds>",
                     defaultValue = "" + DownloadOptions.DEFAULT_READ_TIMEOUT_SECONDS,
                     description = "Seconds without bytes after which a try counts as stalled (default: ${DEFAULT-VALUE}; "
                             + "with the default tries a stalled server is given up after 87 s).") int readTimeoutSeconds)
            throws UsageException, CatalogException, DownloadException {
        ModelCatalog catalog = catalog();
        CatalogModel model = catalog.find(id).orElseThrow(() -> new UsageException(
                "no model '" + id + "' in the catalog; `glance models list` shows the ids"));
        if (model.bundled()) {
            err.println(model.id() + " is bundled with Glance; nothing to download.");
            return 0;
        }
        PrecisionSet precisions = precision == null ? model.recommendedCpu() : parsePrecision(precision);
        DownloadOptions options;
        ModelDownload download;
        try {
            DownloadOptions defaults = DownloadOptions.defaults(baseUrl == null ? catalog.defaultBaseUrl() : baseUrl);
            if (readTimeoutSeconds < 1) {
                throw new UsageException("--read-timeout must be at least 1 second");
            }
            options = new DownloadOptions(defaults.baseUrl(), defaults.connectTimeout(),
                    Duration.ofSeconds(readTimeoutSeconds), attempts, defaults.firstBackoff());
            download = new ModelDownloader(store(), options)
                    .prepare(model, precisions, new DownloadProgressPrinter(err, System.console() != null));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (download.missingFiles().isEmpty()) {
            err.println(model.id() + " " + precisions + " is already installed; nothing to download.");
            return 0;
        }
        long withoutSize = download.filesWithoutSize();
        err.println("Downloading " + model.id() + " " + precisions + " from " + options.baseUrl() + ": "
                + download.missingFiles().size() + " files, " + ByteCount.format(download.bytesToFetch())
                + (withoutSize > 0 ? " plus " + withoutSize + " of a size not in the catalog" : ""));
        if (download.run() != DownloadState.DONE) {
            err.println("Cancelled.");
            return 1;
        }
        err.println("Installed " + model.id() + " " + precisions + " in " + store().folderOf(model.id())
                + ". Make it the active model with: glance models use " + model.id() + " --precision " + precisions);
        return 0;
    }

    @Command(name = "import", description = "Copy a model folder in the published ONNX layout (SmolVLM or Qwen-VL) into the models folder.")
    int importFolder(@Parameters(paramLabel = "DIR", description = "Folder with config.json, tokenizer.json, onnx/…") Path dir,
                     @Option(names = "--id", paramLabel = "<id>", description = "Id to install it under (default: the folder name).") String id,
                     @Option(names = "--precision", paramLabel = "<precision>", description = "Precision set that must be complete (default: any).")
                     String precision) throws UsageException, InvalidModelException, IOException {
        String name = id != null ? id : dir.toAbsolutePath().normalize().getFileName().toString()
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        PrecisionSet required = precision == null ? null : parsePrecision(precision);
        InstalledModel model;
        try {
            model = store().importFolder(dir, name, required);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        out.println("Imported " + model.id() + " (" + precisionsOf(model) + ") into " + model.folder());
        return 0;
    }

    @Command(name = "remove", description = "Delete an installed model (partial downloads included).")
    int remove(@Parameters(paramLabel = "ID") String id) throws UsageException, IOException {
        ModelStore store = store();
        try {
            if (!store.remove(id)) {
                throw new UsageException("no installed model '" + id + "' in " + store.root());
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        SettingsStore settingsStore = settingsStore();
        Settings settings = settings();
        if (id.equals(settings.modelId())) {
            Settings defaults = Settings.defaults();
            settingsStore.save(settings.withModel(defaults.modelId(), defaults.precision()));
            err.println("It was the active model; the bundled demo model is active again.");
        }
        out.println("Removed " + id);
        return 0;
    }

    @Command(name = "use", description = "Make an installed (or the bundled) model and a precision the active ones; "
            + "a CLIP or SigLIP model becomes the image–text model of labels and search by meaning.")
    int use(@Parameters(paramLabel = "ID") String id,
            @Option(names = "--precision", paramLabel = "<precision>", description = "Precision set (default: the first complete one).") String precision)
            throws UsageException, InvalidModelException, IOException {
        if (id.equals(ModelLocator.BUNDLED_EMBEDDING_MODEL)) {
            settingsStore().save(settings().edit(e -> e.embeddingModelId = null));
            out.println("Image–text model (labels, search by meaning): the bundled " + id);
            return 0;
        }
        Path folder = id.equals(ModelLocator.BUNDLED_MODEL) ? locator.bundledModel().orElseThrow(() ->
                new UsageException("the bundled demo model was not found"))
                : installed(id).folder();
        if (ContrastiveFolder.isContrastive(folder)) {
            ContrastiveFolder.open(folder);
            settingsStore().save(settings().edit(e -> e.embeddingModelId = id));
            out.println("Image–text model (labels, search by meaning): " + id);
            return 0;
        }
        ModelFolder modelFolder = ModelFolder.open(folder);
        PrecisionSet precisions;
        if (precision != null) {
            precisions = parsePrecision(precision);
            modelFolder.graphFiles(precisions);
        } else if (!modelFolder.availablePrecisions().isEmpty()) {
            precisions = PrecisionSet.uniform(modelFolder.availablePrecisions().get(0));
        } else {
            throw new UsageException(id + " has no complete uniform precision; name one with --precision");
        }
        settingsStore().save(settings().withModel(id, precisions.toString()));
        out.println("Active model: " + id + " " + precisions);
        return 0;
    }

    private InstalledModel installed(String id) throws UsageException {
        try {
            return store().find(id).orElseThrow(() -> new UsageException("no installed model '" + id
                    + "'; `glance models list` shows what is installed, `glance models pull ID` installs one"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String bundledPrecisions(CatalogModel model) {
        if (model.imageText()) {
            return locator.bundledEmbeddingModel().map(folder -> ContrastiveGraph.towerPrecisions(folder).stream()
                    .map(Object::toString).collect(Collectors.joining(","))).orElse("-");
        }
        return locator.bundledModel().map(folder -> {
            try {
                return ModelFolder.open(folder).availablePrecisions().stream()
                        .map(Object::toString).collect(Collectors.joining(","));
            } catch (InvalidModelException e) {
                return "-";
            }
        }).orElse("-");
    }


    private static String precisionsOf(InstalledModel model) {
        List<String> names = model.precisions().stream().map(Object::toString).toList();
        return names.isEmpty() ? "incomplete" : String.join(",", names);
    }

    private static String formatSize(CatalogModel.DownloadSize size) {
        if (size.knownBytes() == 0 && size.filesWithoutSize() > 0) {
            return "?";
        }
        return ByteCount.format(size.knownBytes()) + (size.filesWithoutSize() > 0 ? "+" : "");
    }

    /** {@code *} for the chat's model and for the image–text model (the bundled demo CLIP when none is chosen). */
    private static String marker(Settings settings, String id) {
        String imageText = settings.embeddingModelId() == null ? ModelLocator.BUNDLED_EMBEDDING_MODEL
                : settings.embeddingModelId();
        return id.equals(settings.modelId()) || id.equals(imageText) ? "*" : "";
    }

    private static PrecisionSet parsePrecision(String text) throws UsageException {
        try {
            return PrecisionSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private ModelCatalog catalog() throws UsageException, CatalogException {
        try {
            return ModelCatalog.load(locator.catalogFile());
        } catch (InvalidModelException notFound) {
            throw new UsageException(notFound.getMessage());
        }
    }

    private ModelStore store() {
        return new ModelStore(locator.folders().modelsDir());
    }

    private SettingsStore settingsStore() {
        return new SettingsStore(locator.folders().settingsFile());
    }

    private Settings settings() {
        LoadedSettings loaded = settingsStore().load();
        if (loaded.notice() != null) {
            err.println("glance: " + loaded.notice());
        }
        return loaded.settings();
    }
}
