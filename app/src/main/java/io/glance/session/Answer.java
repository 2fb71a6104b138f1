package io.glance.session;

import io.glance.generation.GenerationResult;

/**
 * A finished answer as the host hands it over. Immutable.
 *
 * @param result    the generated text, ids, finish reason and timings
 * @param readAhead true when the picture's features came from a {@link PreparedPicture} read ahead of the question
 * @param model     the model that answered
 */
public record Answer(GenerationResult result, boolean readAhead, ModelInfo model) {
}
