/**
 * Text side of a prompt: the chat template, the expansion of each {@code <image>} into its tile layout,
 * the model's tokenizer (DJL, offline) and a streaming detokenizer that never splits a character.
 */
package io.glance.prompt;
