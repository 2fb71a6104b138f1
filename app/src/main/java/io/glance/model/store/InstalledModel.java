package io.glance.model.store;

import io.glance.model.InvalidModelException;
import io.glance.model.ContrastiveGraph;
import io.glance.model.ModelFolder;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;

import java.nio.file.Path;
import java.util.List;

/**
 * A model folder in the store that passes the engine's config checks. Immutable snapshot; safe on any thread.
 *
 * @param id         the folder name, which is the catalog id for downloaded models
 * @param folder     the folder in the published layout
 * @param precisions uniform precisions whose three graphs are all present
 */
public record InstalledModel(String id, Path folder, List<Precision> precisions) {
    public InstalledModel {
        precisions = List.copyOf(precisions);
    }

    /**
     * Whether all three graphs of a (possibly mixed) precision set are present; for an image–text model, its text
     * and vision graphs in the set's vision precision.
     */
    public boolean has(PrecisionSet set) {
        try {
            ModelFolder.open(folder).graphFiles(set);
            return true;
        } catch (InvalidModelException e) {
            return ContrastiveGraph.towerPrecisions(folder).contains(set.vision());
        }
    }
}
