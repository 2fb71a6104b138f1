package io.glance.onnx;

import java.util.List;
import java.util.Locale;

/**
 * Where inference may run. {@link #AUTO} tries the accelerators in order (CUDA, DirectML, CoreML) and
 * falls back to the CPU; any other value tries that device, then the CPU. Immutable.
 */
public enum Device {
    AUTO, CPU, CUDA, DIRECTML, COREML;

    /** The providers to try, in order, for this preference; the CPU is always last. */
    public List<Device> attemptOrder() {
        return switch (this) {
            case AUTO -> List.of(CUDA, DIRECTML, COREML, CPU);
            case CPU -> List.of(CPU);
            default -> List.of(this, CPU);
        };
    }

    /** {@code auto}, {@code cpu}, {@code cuda}, … */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a user-supplied device name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Device parse(String name) {
        for (Device d : values()) {
            if (d.cliName().equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown device '" + name + "'; expected auto, cpu, cuda, directml or coreml");
    }
}
