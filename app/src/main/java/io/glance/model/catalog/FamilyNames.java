package io.glance.model.catalog;

import io.glance.model.InvalidModelException;
import io.glance.model.ConfigJson;

import java.nio.file.Path;
import java.util.Map;

/**
 * The family name people know a model folder by, from its {@code config.json} {@code model_type}, for folders the
 * catalog does not list (imported ones). Stateless; safe on any thread.
 */
public final class FamilyNames {
    private static final Map<String, String> BY_MODEL_TYPE = Map.of(
            "idefics3", "SmolVLM", "smolvlm", "SmolVLM", "qwen2_vl", "Qwen2-VL", "qwen2_5_vl", "Qwen2.5-VL",
            "qwen3_vl", "Qwen3-VL", "clip", "CLIP", "siglip", "SigLIP");

    private FamilyNames() {
    }

    /** The family of the folder, or {@code "unknown family (model_type …)"} / a note that its configs do not read. */
    public static String of(Path folder) {
        try {
            String type = ConfigJson.read(folder.resolve("config.json")).string("model_type").orElse("none");
            return BY_MODEL_TYPE.getOrDefault(type, "unknown family (model_type " + type + ")");
        } catch (InvalidModelException e) {
            return "unreadable configs";
        }
    }
}
