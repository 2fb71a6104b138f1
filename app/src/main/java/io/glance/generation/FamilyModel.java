package io.glance.generation;

import io.glance.model.GraphSpec;
import io.glance.model.ModelFolder;

import java.util.List;

/**
 * A model folder as its family reads it: the contract of its graphs and the format of its conversations.
 * Immutable; safe on any thread.
 */
public interface FamilyModel {

    /** The family's name, e.g. {@code Qwen-VL}. */
    String familyName();

    /** The folder it was read from. */
    ModelFolder folder();

    /** What the engine feeds each graph and reads from it; checked when the graphs load. */
    List<GraphSpec> graphs();

    /** Preprocessing, prompt and positions for one conversation, with the person's image detail applied. */
    ModelFormat format(ImageDetail detail);
}
