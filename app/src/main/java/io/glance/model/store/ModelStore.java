package io.glance.model.store;

import io.glance.model.InvalidModelException;
import io.glance.model.ContrastiveGraph;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.settings.FolderTree;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The folder that holds installed models, one sub-folder per model id, each in the published SmolVLM layout
 * (so a folder downloaded with other tools can be imported as it is). Never touches the network. Methods are
 * safe to call from any thread, but two writers (import, remove, download) must not work on the same id at once.
 */
public final class ModelStore {
    /** Prefix of the staging folders an import copies into before it moves them in place. */
    private static final String STAGING_PREFIX = ".importing-";

    private final Path root;

    /** @param root the models folder; created on first write */
    public ModelStore(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** Where a model with this id lives (or would live once installed). */
    public Path folderOf(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("bad model id '" + id + "'; use letters, digits, '.', '_' and '-'");
        }
        return root.resolve(id);
    }

    /**
     * The installed model with this id, when its folder passes the engine's config checks: a vision-language model,
     * or an image–text (CLIP-family) model with its text and vision graphs in at least one precision.
     */
    public Optional<InstalledModel> find(String id) {
        Path folder = folderOf(id);
        try {
            List<Precision> precisions = ModelFolder.open(folder).availablePrecisions();
            return Optional.of(new InstalledModel(id, folder, precisions));
        } catch (InvalidModelException e) {
            List<Precision> towers = ContrastiveGraph.towerPrecisions(folder);
            return towers.isEmpty() ? Optional.empty() : Optional.of(new InstalledModel(id, folder, towers));
        }
    }

    /** Every installed model, by id. Folders that fail the config checks (an interrupted pull) are left out. */
    public List<InstalledModel> installed() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith("."))
                    .sorted()
                    .flatMap(id -> find(id).stream())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /**
     * Copies a folder in the published layout (a vision-language model, or an image–text model with its text and
     * vision graphs) into the store under {@code id}, after checking it with the engine's own checks. The copy goes to a staging folder first and is moved in place as a whole.
     *
     * @param precisions the set that must be complete, or {@code null} to require any complete uniform precision
     * @throws InvalidModelException saying what the folder is missing
     * @throws IOException           when copying fails or {@code id} is already installed
     */
    public InstalledModel importFolder(Path source, String id, PrecisionSet precisions)
            throws InvalidModelException, IOException {
        List<Precision> towers = ContrastiveGraph.towerPrecisions(source);
        if (towers.isEmpty()) {
            ModelFolder folder = ModelFolder.open(source);
            if (precisions != null) {
                folder.graphFiles(precisions);
            } else if (folder.availablePrecisions().isEmpty()) {
                folder.graphFiles(PrecisionSet.uniform(Precision.FP32));
            }
        } else if (precisions != null && !towers.contains(precisions.vision())) {
            throw new InvalidModelException("image–text model folder " + source + " has no onnx/"
                    + ContrastiveGraph.TEXT.fileName(precisions.vision()) + " and onnx/"
                    + ContrastiveGraph.VISION.fileName(precisions.vision()) + "; precisions present: " + towers);
        }
        Path target = folderOf(id);
        if (Files.exists(target)) {
            throw new IOException("a model with id " + id + " is already installed at " + target
                    + "; remove it first or import under another id");
        }
        Files.createDirectories(root);
        Path staging = root.resolve(STAGING_PREFIX + id);
        FolderTree.delete(staging);
        copyTree(source.toAbsolutePath().normalize(), staging);
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        return find(id).orElseThrow(() -> new IOException("imported folder " + target + " fails the config checks"));
    }

    /**
     * Deletes an installed model's folder, partial downloads included.
     *
     * @return whether there was anything to delete
     */
    public boolean remove(String id) throws IOException {
        Path folder = folderOf(id);
        if (!Files.exists(folder)) {
            return false;
        }
        FolderTree.delete(folder);
        return true;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                if (!dir.equals(source) && name.startsWith(".")) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, target.resolve(source.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

}
