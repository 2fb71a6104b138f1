package io.glance.session;

import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.model.PrecisionSet;
import io.glance.model.store.InstalledModel;
import io.glance.model.store.ModelStore;
import io.glance.settings.LoadedSettings;
import io.glance.settings.Settings;
import io.glance.settings.SettingsStore;
import io.glance.settings.UserFolders;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Decides which model folder a command uses: the one named on the command line, else the active installed
 * model of the user's settings, else the bundled demo model shipped beside the app
 * ({@code model-assets/glance-demo-shapes}, found next to the jar, one or two folders up, or under the system
 * property {@code glance.bundled.model}). Also finds the model catalog ({@code model-assets/catalog.json}, or the
 * system property {@code glance.catalog}). Reads files only; safe on any thread. What it decides for people is
 * said through its notices, never printed.
 */
public final class ModelLocator {
    /** Folder name of the bundled demo model under {@code model-assets/}. */
    public static final String BUNDLED_MODEL = "glance-demo-shapes";
    /** Folder name of the bundled demo CLIP (image–text embeddings) under {@code model-assets/}. */
    public static final String BUNDLED_EMBEDDING_MODEL = "glance-demo-clip";
    /** File name of the model catalog under {@code model-assets/}. */
    public static final String CATALOG = "catalog.json";

    private final UserFolders folders;
    private final Consumer<String> notices;

    /**
     * @param notices receives what people should know about a choice made for them (an unreadable settings file,
     *                a settings precision the folder lacks), on the calling thread
     */
    public ModelLocator(UserFolders folders, Consumer<String> notices) {
        this.folders = folders;
        this.notices = notices;
    }

    public UserFolders folders() {
        return folders;
    }

    /**
     * @param explicit the {@code --model} value, or {@code null}
     * @throws InvalidModelException when no model is named and the bundled one cannot be found
     */
    public Path resolve(Path explicit) throws InvalidModelException {
        if (explicit != null) {
            return explicit;
        }
        Optional<InstalledModel> active = activeInstalledModel();
        if (active.isPresent()) {
            return active.get().folder();
        }
        return bundledModel().orElseThrow(() ->
                new InvalidModelException("no model given and the bundled demo model was not found; use --model DIR"));
    }

    /**
     * The image–text embedding model a command uses: the one named, else the installed one the settings choose
     * ({@code glance models use ID}), else the bundled demo CLIP ({@code model-assets/glance-demo-clip}, or the
     * system property {@code glance.bundled.clip}).
     *
     * @param explicit the {@code --model} value, or {@code null}
     * @throws InvalidModelException when no model is named and the bundled one cannot be found
     */
    public Path resolveEmbeddingModel(Path explicit) throws InvalidModelException {
        if (explicit != null) {
            return explicit;
        }
        String chosen = new SettingsStore(folders.settingsFile()).load().settings().embeddingModelId();
        if (chosen != null && !chosen.equals(BUNDLED_EMBEDDING_MODEL)) {
            try {
                Optional<InstalledModel> installed = new ModelStore(folders.modelsDir()).find(chosen);
                if (installed.isPresent()) {
                    return installed.get().folder();
                }
            } catch (IllegalArgumentException e) {
                // not a model id any more: the bundled one below
            }
            notices.accept("the settings choose image–text model " + chosen + ", which is not installed; using the "
                    + "bundled " + BUNDLED_EMBEDDING_MODEL);
        }
        return bundledEmbeddingModel().orElseThrow(() ->
                new InvalidModelException("no model given and the bundled demo CLIP was not found; use --model DIR"));
    }

    /** The bundled demo CLIP's folder: the first place it may be that holds its config. */
    public Optional<Path> bundledEmbeddingModel() {
        return assetCandidates("glance.bundled.clip", BUNDLED_EMBEDDING_MODEL).stream()
                .filter(candidate -> Files.isRegularFile(candidate.resolve("config.json"))).findFirst();
    }

    /** The bundled demo model's folder: the first place it may be that holds all of a model's config files. */
    public Optional<Path> bundledModel() {
        for (Path candidate : bundledCandidates()) {
            if (ModelFolder.CONFIG_FILES.stream().allMatch(file -> Files.isRegularFile(candidate.resolve(file)))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The model chosen with {@code glance models use} (or the GUI), when it is installed in the user's models
     * folder; empty when the settings name the bundled model or a model that is not installed.
     */
    public Optional<InstalledModel> activeInstalledModel() {
        LoadedSettings loaded = new SettingsStore(folders.settingsFile()).load();
        if (loaded.notice() != null) {
            notices.accept(loaded.notice());
        }
        Settings settings = loaded.settings();
        if (settings.modelId() == null || settings.modelId().equals(BUNDLED_MODEL)) {
            return Optional.empty();
        }
        try {
            return new ModelStore(folders.modelsDir()).find(settings.modelId());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The precision to load {@code folder} in: the one asked for, else the settings' precision when the
     * folder has it, else (saying so through the notices when the settings named another) the folder's default (q4, int8,
     * fp32, in that order of preference).
     *
     * @param explicit the {@code --dtype} value, or {@code null}
     * @throws InvalidModelException when {@code explicit} is not a precision
     * @throws InvalidModelException when the folder has no complete precision
     */
    public PrecisionSet precisionFor(ModelFolder folder, String explicit) throws InvalidModelException {
        if (explicit != null) {
            try {
                return PrecisionSet.parse(explicit);
            } catch (IllegalArgumentException e) {
                throw new InvalidModelException(e.getMessage());
            }
        }
        String configured = new SettingsStore(folders.settingsFile()).load().settings().precision();
        if (configured != null) {
            try {
                PrecisionSet set = PrecisionSet.parse(configured);
                folder.graphFiles(set);
                return set;
            } catch (IllegalArgumentException | InvalidModelException notUsable) {
                PrecisionSet fallback = folder.defaultPrecision();
                notices.accept("the settings choose precision " + configured + ", which " + folder.root()
                        + " does not have; using " + fallback);
                return fallback;
            }
        }
        return folder.defaultPrecision();
    }

    /**
     * The model catalog file.
     *
     * @throws InvalidModelException when it cannot be found
     */
    public Path catalogFile() throws InvalidModelException {
        for (Path candidate : assetCandidates("glance.catalog", CATALOG)) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new InvalidModelException("the model catalog (model-assets/" + CATALOG + ") was not found; "
                + "set -Dglance.catalog=FILE");
    }

    /** Places the bundled model may be, most specific first. */
    private List<Path> bundledCandidates() {
        return assetCandidates("glance.bundled.model", BUNDLED_MODEL);
    }

    /** {@code model-assets/<name>} beside the jar and up to four folders up, after a system property override. */
    private static List<Path> assetCandidates(String overrideProperty, String name) {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty(overrideProperty);
        if (property != null) {
            candidates.add(Path.of(property));
        }
        try {
            Path jarDir = Path.of(ModelLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            for (Path dir = jarDir; dir != null && candidates.size() < 5; dir = dir.getParent()) {
                candidates.add(dir.resolve("model-assets").resolve(name));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        candidates.add(Path.of("model-assets", name).toAbsolutePath());
        return candidates;
    }
}
