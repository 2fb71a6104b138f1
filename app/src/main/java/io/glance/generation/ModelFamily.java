package io.glance.generation;

import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;

import java.util.List;

/**
 * A family of vision-language models that share preprocessing, chat template, position ids and graph contract
 * (SmolVLM, Qwen-VL). Each family lives in its own package under {@code io.glance.family}; the generation loop and
 * the window never name one. Stateless; safe on any thread.
 */
public interface ModelFamily {

    /** The family's name as people know it, e.g. {@code SmolVLM}. */
    String name();

    /** The {@code config.json} {@code model_type} values this family runs. */
    List<String> modelTypes();

    /**
     * Reads and checks what only this family reads from the folder's config files.
     *
     * @throws InvalidModelException naming the missing file, key or disagreement
     */
    FamilyModel read(ModelFolder folder) throws InvalidModelException;
}
