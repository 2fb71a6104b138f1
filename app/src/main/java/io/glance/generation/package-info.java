/**
 * The generation loop over a model port ({@link io.glance.generation.VisionLanguageModel}): prefill with
 * image features and prefix (KV) reuse, decode with a sampler, stop tokens, token limit and cancellation.
 *
 * <p>Threads: one inference thread owns a {@link io.glance.generation.ChatSession} and every call on the
 * model; other threads reach it only through {@link io.glance.generation.Cancellation}. Text leaves the
 * loop through a callback on the inference thread; the loop never prints.
 */
package io.glance.generation;
