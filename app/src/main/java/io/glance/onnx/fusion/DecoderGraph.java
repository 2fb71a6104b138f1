package io.glance.onnx.fusion;

import java.nio.file.Path;

/**
 * The decoder graph a model runs. Immutable.
 *
 * @param file  the ONNX file the session is created from
 * @param kind  {@code published}, {@code fused} or {@code fused-int8}: what ran
 * @param note  for people: why the published graph runs although a fused one was asked for, or how the fused
 *              one was obtained (built, or read from the cache); empty when there is nothing to say
 */
public record DecoderGraph(Path file, String kind, String note) {
    /** The published file, with {@code note} saying why. */
    static DecoderGraph published(Path file, String note) {
        return new DecoderGraph(file, DecoderChoice.PUBLISHED.cliName(), note);
    }

    public boolean fused() {
        return !kind.equals(DecoderChoice.PUBLISHED.cliName());
    }
}
