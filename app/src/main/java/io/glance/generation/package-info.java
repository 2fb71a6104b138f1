/**
 * The generation loop over a model port ({@link io.glance.generation.VisionLanguageModel}): prefill with
 * image features and prefix (KV) reuse, decode with a sampler, stop tokens, token limit and cancellation; and the
 * ports a model family implements for it ({@link io.glance.generation.ModelFamily}, {@link
 * io.glance.generation.ModelFormat}: preprocessing, prompt format, position ids), so the loop is the same for all.
 *
 * <p>Threads: one inference thread owns a {@link io.glance.generation.ChatSession} and every call on the
 * model; other threads reach it only through {@link io.glance.generation.Cancellation}. Text leaves the
 * loop through a callback on the inference thread; the loop never prints.
 */
package io.glance.generation;
