/**
 * Model folders in the published SmolVLM ONNX layout: config files read into dimensions and special
 * tokens, precisions and their file suffixes, validation with messages that name the file. Immutable
 * values; safe on any thread.
 */
package io.glance.model;
