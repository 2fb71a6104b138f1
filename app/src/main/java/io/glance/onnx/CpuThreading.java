package io.glance.onnx;

import io.glance.onnx.fusion.DecoderChoice;

/**
 * How ONNX Runtime uses the CPU for the sessions of a model: threads, spinning, and which decoder graph runs there.
 * Immutable.
 *
 * @param intraOpThreads  threads per session run (0 = ONNX Runtime's default)
 * @param decoderSpinning whether the decoder's idle pool threads busy-wait for the next parallel section. The
 *                        decoder hands work to its pool hundreds of times per token, so on an otherwise idle
 *                        machine spinning decodes about 1.3× faster; when other processes want the cores it
 *                        costs up to 2× (docs/performance.md). The vision encoder never spins: its few long
 *                        parallel sections have nothing to gain.
 * @param decoder         the decoder graph to run on the CPU: published or fused (docs/performance.md)
 */
public record CpuThreading(int intraOpThreads, boolean decoderSpinning, DecoderChoice decoder) {
    /** Threads and spinning with the default decoder graph ({@link DecoderChoice#DEFAULT}). */
    public CpuThreading(int intraOpThreads, boolean decoderSpinning) {
        this(intraOpThreads, decoderSpinning, DecoderChoice.DEFAULT);
    }

    /** The command line's default for {@link #decoderSpinning}: a command is what the user is waiting for. */
    public static final boolean COMMAND_LINE_SPINNING = true;

    /**
     * The window's setting (and the tests'): {@code threads} intra-op threads, nothing spinning, so the camera
     * preview and the UI keep their share of the cores while an answer streams.
     */
    public static CpuThreading interactive(int threads) {
        return new CpuThreading(threads, false);
    }
}
