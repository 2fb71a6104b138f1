package io.glance.family.smolvlm;

import io.glance.generation.FamilyModel;
import io.glance.generation.ImageDetail;
import io.glance.generation.ModelFamily;
import io.glance.generation.ModelFormat;
import io.glance.generation.PositionScheme;
import io.glance.model.GraphKind;
import io.glance.model.GraphSpec;
import io.glance.model.GraphSpec.Element;
import io.glance.model.GraphSpec.TensorSpec;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;

import java.util.List;

/**
 * SmolVLM and the other Idefics3 exports ({@code model_type} {@code idefics3} or {@code smolvlm}): square tiles
 * plus a global view, each tile a fixed number of {@code <image>} tokens, 1-D positions. Stateless; safe on any
 * thread.
 */
public final class SmolVlmFamily implements ModelFamily {

    @Override
    public String name() {
        return "SmolVLM";
    }

    @Override
    public List<String> modelTypes() {
        return List.of("idefics3", "smolvlm");
    }

    @Override
    public FamilyModel read(ModelFolder folder) throws InvalidModelException {
        SmolVlmImageSettings images = SmolVlmImageSettings.read(folder);
        List<GraphSpec> graphs = List.of(
                new GraphSpec(GraphKind.VISION_ENCODER,
                        List.of(TensorSpec.of("pixel_values", Element.FLOATING, 5),
                                TensorSpec.of("pixel_attention_mask", Element.BOOL, 4)),
                        List.of(TensorSpec.of("image_features", Element.FLOATING, -1))),
                GraphSpec.embedTokens(),
                GraphSpec.mergedDecoder(folder.textShape(), 2));
        return new Model(folder, images, graphs);
    }

    /** A SmolVLM folder: its image settings and graph contract. */
    private record Model(ModelFolder folder, SmolVlmImageSettings images, List<GraphSpec> graphs)
            implements FamilyModel {

        @Override
        public String familyName() {
            return "SmolVLM";
        }

        @Override
        public ModelFormat format(ImageDetail detail) {
            ImagePreprocessor preprocessor = new ImagePreprocessor(images.withOverrides(detail.split(), detail.longestEdge()));
            return new ModelFormat(preprocessor, new SmolVlmPromptFormat(), PositionScheme.CONSECUTIVE);
        }
    }
}
