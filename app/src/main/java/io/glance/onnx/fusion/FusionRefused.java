package io.glance.onnx.fusion;

/** Why a decoder graph is run as published rather than fused; the message says it for people. */
final class FusionRefused extends Exception {
    private static final long serialVersionUID = 1L;

    FusionRefused(String reason) {
        super(reason);
    }
}
