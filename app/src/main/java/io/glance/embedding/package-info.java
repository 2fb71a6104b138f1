/**
 * Image and text embeddings in one space (CLIP and SigLIP, as transformers.js runs their published ONNX exports):
 * the model folder, the image processor, the tokenizer's batches and zero-shot scoring, behind the
 * {@link io.glance.embedding.EmbeddingModel} port that the library and the window use. No ONNX Runtime here.
 */
package io.glance.embedding;
