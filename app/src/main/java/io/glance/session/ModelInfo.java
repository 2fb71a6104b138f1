package io.glance.session;

/**
 * What the status bar says about the loaded model. Immutable.
 *
 * @param name           the model's folder name
 * @param precision      e.g. {@code fp32} or {@code vision=fp32,embed=q4,decoder=q4}
 * @param device         where inference runs: {@code cpu}, {@code cuda}, …
 * @param fallbackReason why a preferred accelerator was not used, or {@code null}
 */
public record ModelInfo(String name, String precision, String device, String fallbackReason) {
}
