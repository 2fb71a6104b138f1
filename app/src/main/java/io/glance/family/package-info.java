/**
 * The model families Glance runs, one package each ({@code smolvlm}, {@code qwenvl}), and {@link
 * io.glance.family.ModelFamilies}, which picks a folder's family from its {@code model_type}. A family owns what
 * differs between families: image preprocessing, chat template and image tokens, position ids and the graph
 * contract; the generation loop and the window never name one. Families never use each other. Stateless; safe on
 * any thread.
 */
package io.glance.family;
