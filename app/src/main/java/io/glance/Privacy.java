package io.glance;

/**
 * Switches off what third-party libraries would send over the network: DJL's offline mode (else it
 * contacts a cloud metadata address on every tokenizer creation) and its tracking opt-out. ONNX Runtime is
 * pinned to 1.28.0, which sends no telemetry. Call before any of them loads; idempotent.
 */
public final class Privacy {
    private Privacy() {
    }

    public static void apply() {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
    }
}
