package io.glance.family.smolvlm;

import io.glance.generation.ImageLayout;
import io.glance.prompt.PromptPiece;
import io.glance.prompt.RenderedPrompt;

import java.util.List;

/**
 * Replaces each image slot of a rendered prompt with the Idefics3 token layout of that image:
 * per tile {@code <fake_token_around_image><row_r_col_c>} and the layout's {@code <image>} tokens per tile,
 * a newline after each row, then the global image
 * {@code \n<fake_token_around_image><global-img>}{@code <image>}×n{@code <fake_token_around_image>};
 * an unsplit image is the global part alone (without the leading newline). Immutable; safe on any thread.
 */
public final class ImageTokenExpander {
    private static final String FAKE = "<fake_token_around_image>";
    private static final String GLOBAL = "<global-img>";

    /**
     * Expands the image slots of {@code rendered} in order.
     *
     * @throws IllegalArgumentException when the number of slots differs from {@code layouts.size()}
     */
    public RenderedPrompt expand(RenderedPrompt rendered, List<? extends ImageLayout> layouts) {
        if (rendered.imageSlots() != layouts.size()) {
            throw new IllegalArgumentException("the prompt has " + rendered.imageSlots() + " image slots but "
                    + layouts.size() + " images");
        }
        RenderedPrompt.Builder out = new RenderedPrompt.Builder();
        int index = 0;
        for (PromptPiece piece : rendered.pieces()) {
            if (piece instanceof PromptPiece.ImageSlot) {
                appendImage(out, (TileLayout) layouts.get(index++));
            } else {
                out.add(piece);
            }
        }
        return out.build();
    }

    private void appendImage(RenderedPrompt.Builder out, TileLayout layout) {
        if (layout.isSplit()) {
            for (int r = 1; r <= layout.rows(); r++) {
                for (int c = 1; c <= layout.cols(); c++) {
                    out.marker(FAKE).marker("<row_" + r + "_col_" + c + ">").marker(ChatTemplate.IMAGE_MARKER, layout.featuresPerInput());
                }
                out.text("\n");
            }
            out.text("\n");
        }
        out.marker(FAKE).marker(GLOBAL).marker(ChatTemplate.IMAGE_MARKER, layout.featuresPerInput()).marker(FAKE);
    }
}
