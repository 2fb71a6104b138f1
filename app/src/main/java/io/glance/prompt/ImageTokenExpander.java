package io.glance.prompt;

import io.glance.vision.TileLayout;

import java.util.List;

/**
 * Replaces each {@code <image>} marker of a rendered prompt with the Idefics3 token layout of that image:
 * per tile {@code <fake_token_around_image><row_r_col_c>} and {@code imageSeqLen} {@code <image>} tokens,
 * a newline after each row, then the global image
 * {@code \n<fake_token_around_image><global-img>}{@code <image>}×n{@code <fake_token_around_image>};
 * an unsplit image is the global part alone (without the leading newline). Immutable; safe on any thread.
 */
public final class ImageTokenExpander {
    private static final String FAKE = "<fake_token_around_image>";
    private static final String GLOBAL = "<global-img>";

    private final String imageRun;

    /** @param imageSeqLen {@code <image>} tokens per encoder input ({@code processor_config.json}) */
    public ImageTokenExpander(int imageSeqLen) {
        this.imageRun = ChatTemplate.IMAGE_MARKER.repeat(imageSeqLen);
    }

    /**
     * Expands the markers of {@code rendered} in order.
     *
     * @throws IllegalArgumentException when the number of markers differs from {@code layouts.size()}
     */
    public String expand(String rendered, List<TileLayout> layouts) {
        StringBuilder out = new StringBuilder(rendered.length() + layouts.size() * imageRun.length() * 17);
        int from = 0;
        int index = 0;
        int at;
        while ((at = rendered.indexOf(ChatTemplate.IMAGE_MARKER, from)) >= 0) {
            if (index >= layouts.size()) {
                throw new IllegalArgumentException("the prompt has more <image> markers than images (" + layouts.size() + ")");
            }
            out.append(rendered, from, at);
            appendImage(out, layouts.get(index++));
            from = at + ChatTemplate.IMAGE_MARKER.length();
        }
        if (index != layouts.size()) {
            throw new IllegalArgumentException("the prompt has " + index + " <image> markers but " + layouts.size() + " images");
        }
        return out.append(rendered, from, rendered.length()).toString();
    }

    private void appendImage(StringBuilder out, TileLayout layout) {
        if (layout.isSplit()) {
            for (int r = 1; r <= layout.rows(); r++) {
                for (int c = 1; c <= layout.cols(); c++) {
                    out.append(FAKE).append("<row_").append(r).append("_col_").append(c).append('>').append(imageRun);
                }
                out.append('\n');
            }
            out.append('\n');
        }
        out.append(FAKE).append(GLOBAL).append(imageRun).append(FAKE);
    }
}
