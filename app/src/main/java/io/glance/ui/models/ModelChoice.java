package io.glance.ui.models;

import java.util.List;

/**
 * A model the app can switch to: the bundled demo model or one installed in the model store. Immutable.
 *
 * @param modelId    the id stored in the settings
 * @param name       what people see
 * @param precisions precision sets to offer, as {@code PrecisionSet} writes them, best first
 */
public record ModelChoice(String modelId, String name, List<String> precisions) {
    public ModelChoice {
        precisions = List.copyOf(precisions);
    }

    @Override
    public String toString() {
        return name;
    }
}
