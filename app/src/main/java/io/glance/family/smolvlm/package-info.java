/**
 * SmolVLM (Idefics3) exports: tiles plus a global view resized and normalized from the model's configs, the
 * {@code User:}/{@code Assistant:} chat template with {@code <fake_token_around_image>}-framed tiles, 1-D positions,
 * and a five-dimensional {@code pixel_values} with its attention mask. Stateless apart from settings; safe on any
 * thread.
 */
package io.glance.family.smolvlm;
