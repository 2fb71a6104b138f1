package io.glance.onnx;

/**
 * How ONNX Runtime uses the CPU for every session of a model. Immutable.
 *
 * @param intraOpThreads threads per session run (0 = ONNX Runtime's default)
 * @param spinning       whether idle pool threads busy-wait for the next parallel section; it shortens the
 *                       hand-off on an idle machine and costs badly when other processes want the cores
 */
public record CpuThreading(int intraOpThreads, boolean spinning) {
    /** Measured default; see docs/performance.md. */
    public static final boolean DEFAULT_SPINNING = false;

    /** {@code threads} intra-op threads with the measured default for spinning. */
    public static CpuThreading threads(int threads) {
        return new CpuThreading(threads, DEFAULT_SPINNING);
    }
}
