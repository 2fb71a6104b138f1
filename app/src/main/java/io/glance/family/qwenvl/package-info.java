/**
 * Qwen-VL exports (Qwen2-VL, Qwen2.5-VL, Qwen3-VL) as transformers.js 4.3.2 runs them: {@code smart_resize} and the
 * reference's bicubic resampling, patches in merge-block order with the picture repeated over the temporal axis,
 * the Qwen chat template with its default system turn, {@code <|image_pad|>} per merged patch, multimodal rotary
 * positions ({@code position_ids} [3, 1, n]; Python transformers' rule for text-only prompts), and a vision
 * encoder fed {@code pixel_values} and the patch grid ({@code grid_thw} or {@code image_grid_thw}). Stateless apart
 * from settings; safe on any thread.
 */
package io.glance.family.qwenvl;
