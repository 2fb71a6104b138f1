package io.glance.family.qwenvl;

import io.glance.generation.FamilyModel;
import io.glance.generation.ImageDetail;
import io.glance.generation.ModelFamily;
import io.glance.generation.ModelFormat;
import io.glance.model.ConfigJson;
import io.glance.model.GraphKind;
import io.glance.model.GraphSpec;
import io.glance.model.GraphSpec.Element;
import io.glance.model.GraphSpec.TensorSpec;
import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Qwen2-VL, Qwen2.5-VL and Qwen3-VL exports ({@code model_type} {@code qwen2_vl}, {@code qwen2_5_vl},
 * {@code qwen3_vl}) in the transformers.js layout: pictures resized to multiples of patch × merge and cut into
 * patches, {@code <|image_pad|>} per merged patch, multimodal rotary positions ({@code position_ids} [3, 1, n]), a
 * vision encoder fed {@code pixel_values} [patches, C·T·P·P] and the patch grid. Stateless; safe on any thread.
 */
public final class QwenVlFamily implements ModelFamily {
    private static final String NAME = "Qwen-VL";
    /** The default system turn of a template: a literal system turn with no template expression in it. */
    private static final Pattern DEFAULT_SYSTEM = Pattern.compile("<\\|im_start\\|>system\\n([^{}<]+)<\\|im_end\\|>");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> modelTypes() {
        return List.of("qwen2_vl", "qwen2_5_vl", "qwen3_vl");
    }

    @Override
    public FamilyModel read(ModelFolder folder) throws InvalidModelException {
        ConfigJson config = folder.config();
        if (!folder.modelType().equals("qwen2_vl") && !config.has("text_config")) {
            throw new InvalidModelException("config.json of " + folder.root() + " has model_type '"
                    + folder.modelType() + "' but no text_config, which that type keeps the decoder's dimensions in");
        }
        ConfigJson vision = config.object("vision_config");
        int merge = vision.integer("spatial_merge_size", 2);
        QwenImageSettings images = QwenImageSettings.read(folder.preprocessorConfig(), folder.root());
        if (images.mergeSize() != merge || vision.has("patch_size") && images.patchSize() != vision.integer("patch_size")) {
            throw new InvalidModelException("config files of " + folder.root() + " disagree: preprocessor_config.json "
                    + "has patch_size " + images.patchSize() + " and merge_size " + images.mergeSize()
                    + ", config.json vision_config has " + vision.integer("patch_size", -1) + " and " + merge);
        }
        int visionStart = config.integer("vision_start_token_id");
        List<GraphSpec> graphs = List.of(
                new GraphSpec(GraphKind.VISION_ENCODER,
                        List.of(TensorSpec.of("pixel_values", Element.FLOATING, 2),
                                new TensorSpec(QwenPixels.GRID, List.of("image_grid_thw"), Element.INT64, 2)),
                        List.of(TensorSpec.of("image_features", Element.FLOATING, -1))),
                GraphSpec.embedTokens(),
                GraphSpec.mergedDecoder(folder.textShape(), 3));
        QwenPromptFormat prompt = new QwenPromptFormat(defaultSystem(folder).orElse(null));
        QwenPositions positions = new QwenPositions(folder.imageTokenId(), visionStart);
        return new Model(folder, images, graphs, prompt, positions);
    }

    /**
     * The system turn the chat template adds to a conversation that has none: read from the template itself
     * ({@code chat_template.json}, else {@code tokenizer_config.json}), as Qwen2-VL's and Qwen2.5-VL's have one and
     * Qwen3-VL's has none.
     */
    static Optional<String> defaultSystem(ModelFolder folder) throws InvalidModelException {
        for (String file : List.of("chat_template.json", "tokenizer_config.json")) {
            if (folder.hasConfigFile(file)) {
                Optional<String> template = folder.configFile(file).string("chat_template");
                if (template.isPresent()) {
                    Matcher matcher = DEFAULT_SYSTEM.matcher(template.get());
                    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** A Qwen-VL folder: its image settings, graph contract, template and positions. */
    private record Model(ModelFolder folder, QwenImageSettings images, List<GraphSpec> graphs,
                         QwenPromptFormat prompt, QwenPositions positions) implements FamilyModel {

        @Override
        public String familyName() {
            return NAME;
        }

        @Override
        public ModelFormat format(ImageDetail detail) {
            QwenImageSettings settings = detail.maxImageTokens() == null ? images
                    : images.withMaxPixels(detail.maxImageTokens() * images.pixelsPerToken());
            return new ModelFormat(new QwenImages(settings), prompt, positions);
        }
    }
}
