package io.glance.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which model folder a command uses: the one named on the command line, else the bundled demo
 * model shipped beside the app ({@code model-assets/glance-demo-shapes}, found next to the jar, one or two
 * folders up, or under the system property {@code glance.bundled.model}). Stateless; safe on any thread.
 */
public class ModelLocator {
    /** Folder name of the bundled demo model under {@code model-assets/}. */
    public static final String BUNDLED_MODEL = "glance-demo-shapes";

    /**
     * @param explicit the {@code --model} value, or {@code null}
     * @throws UsageException when no model is named and the bundled one cannot be found
     */
    public Path resolve(Path explicit) throws UsageException {
        if (explicit != null) {
            return explicit;
        }
        for (Path candidate : bundledCandidates()) {
            if (Files.isRegularFile(candidate.resolve("config.json"))) {
                return candidate;
            }
        }
        throw new UsageException("no model given and the bundled demo model was not found; use --model DIR");
    }

    /** Places the bundled model may be, most specific first. */
    protected List<Path> bundledCandidates() {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("glance.bundled.model");
        if (property != null) {
            candidates.add(Path.of(property));
        }
        try {
            Path jarDir = Path.of(ModelLocator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
            for (Path dir = jarDir; dir != null && candidates.size() < 5; dir = dir.getParent()) {
                candidates.add(dir.resolve("model-assets").resolve(BUNDLED_MODEL));
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (unusual class loader): fall back to the working directory
        }
        candidates.add(Path.of("model-assets", BUNDLED_MODEL).toAbsolutePath());
        return candidates;
    }
}
