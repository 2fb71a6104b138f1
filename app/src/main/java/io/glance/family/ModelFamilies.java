package io.glance.family;

import io.glance.family.qwenvl.QwenVlFamily;
import io.glance.family.smolvlm.SmolVlmFamily;
import io.glance.generation.FamilyModel;
import io.glance.generation.ModelFamily;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;

import java.util.List;

/**
 * The model families Glance runs, picked by a folder's {@code model_type}. Adding a family is adding its package
 * and one entry here. Stateless; safe on any thread.
 */
public final class ModelFamilies {
    private static final List<ModelFamily> FAMILIES = List.of(new SmolVlmFamily(), new QwenVlFamily());

    private ModelFamilies() {
    }

    /**
     * Reads {@code folder} with the family of its {@code model_type}.
     *
     * @throws InvalidModelException when no family runs that type (naming the ones supported), or the family's
     *                               config files are wrong
     */
    public static FamilyModel read(ModelFolder folder) throws InvalidModelException {
        for (ModelFamily family : FAMILIES) {
            if (family.modelTypes().contains(folder.modelType())) {
                return family.read(folder);
            }
        }
        throw new InvalidModelException("model folder " + folder.root() + " has model_type '" + folder.modelType()
                + "', which Glance does not run; supported: " + String.join(", ", supportedTypes()));
    }

    /** Every supported {@code model_type}, family by family. */
    public static List<String> supportedTypes() {
        return FAMILIES.stream().flatMap(family -> family.modelTypes().stream()).toList();
    }
}
