package io.glance.ui.models;

/**
 * One precision set of a model in the model manager, with its download size. Immutable.
 *
 * @param precision as {@code PrecisionSet} writes it, e.g. {@code q4}
 * @param size      download size for people ({@code 120.3 MB}, {@code ≥ 86.6 MB}), or empty when not known
 * @param installed whether all its files are installed (always true for the bundled model)
 */
public record PrecisionOption(String precision, String size, boolean installed) {
    @Override
    public String toString() {
        return precision + (size.isEmpty() ? "" : " · " + size) + (installed ? " · installed" : "");
    }
}
