package io.glance.embedding;

import io.glance.model.ConfigJson;
import io.glance.model.InvalidModelException;
import io.glance.vision.BicubicResampler;
import io.glance.vision.DecodedImage;
import io.glance.vision.EdgeResize;
import io.glance.vision.PixelNormalization;

import java.nio.file.Path;

/**
 * CLIP's and SigLIP's image preprocessing as transformers.js's image processor does it, from
 * {@code preprocessor_config.json}: resize (a {@code shortest_edge}/{@code longest_edge} pair keeping the aspect
 * ratio, sides rounded to two decimals then down; a bare number {@code n} means shortest and longest edge {@code n};
 * or a fixed {@code width}×{@code height}) with {@link BicubicResampler}, centre crop to {@code crop_size}
 * (padding with black where the picture is smaller, offsets rounded down), rescale and normalize (only when
 * {@code do_normalize} says so, as there), channels first. Other {@code resample} filters than bicubic (3, what the
 * published CLIP and SigLIP configs use) are read as bicubic. Immutable; safe on any thread.
 */
public final class ContrastiveImageProcessor {
    private static final int CHANNELS = 3;

    /** Target of the resize: edges (0 = not set) or a fixed width and height (0 = not set). */
    private record Resize(double shortestEdge, double longestEdge, int fixedWidth, int fixedHeight) {
    }

    private final Resize resize;
    private final int cropWidth;
    private final int cropHeight;
    private final PixelNormalization normalization;

    private ContrastiveImageProcessor(Resize resize, int cropWidth, int cropHeight, PixelNormalization normalization) {
        this.resize = resize;
        this.cropWidth = cropWidth;
        this.cropHeight = cropHeight;
        this.normalization = normalization;
    }

    /**
     * Reads a {@code preprocessor_config.json}.
     *
     * @throws InvalidModelException naming the key when the sizes are missing or not understood
     */
    public static ContrastiveImageProcessor read(ConfigJson config, Path root) throws InvalidModelException {
        Resize resize = config.bool("do_resize", config.has("size")) ? resize(config, root) : null;
        int cropWidth = 0;
        int cropHeight = 0;
        if (config.bool("do_center_crop", false)) {
            if (config.optionalObject("crop_size").isPresent()) {
                ConfigJson crop = config.object("crop_size");
                cropWidth = crop.integer("width");
                cropHeight = crop.integer("height");
            } else {
                cropWidth = config.integer("crop_size");
                cropHeight = cropWidth;
            }
        }
        if (cropWidth == 0 && (resize == null || resize.fixedWidth() == 0)) {
            throw new InvalidModelException("preprocessor_config.json of " + root + " gives no fixed picture size "
                    + "(a crop_size or a size with width and height)");
        }
        double rescale = config.bool("do_rescale", true) ? config.number("rescale_factor", 1.0 / 255.0) : 1;
        boolean normalize = config.bool("do_normalize", false);
        double[] mean = normalize ? config.threeNumbers("image_mean") : new double[CHANNELS];
        double[] std = normalize ? config.threeNumbers("image_std") : new double[] {1, 1, 1};
        return new ContrastiveImageProcessor(resize, cropWidth, cropHeight, new PixelNormalization(rescale, mean, std));
    }

    private static Resize resize(ConfigJson config, Path root) throws InvalidModelException {
        if (config.optionalObject("size").isEmpty()) {
            int edge = config.integer("size");
            double longest = config.number("max_size", edge);
            return new Resize(edge, longest, 0, 0);
        }
        ConfigJson size = config.object("size");
        if (size.has("shortest_edge") || size.has("longest_edge")) {
            return new Resize(size.number("shortest_edge", 0), size.number("longest_edge", 0), 0, 0);
        }
        if (size.has("width") && size.has("height")) {
            return new Resize(0, 0, size.integer("width"), size.integer("height"));
        }
        throw new InvalidModelException("preprocessor_config.json of " + root + " has a size without shortest_edge, "
                + "longest_edge, or width and height");
    }

    /** Width of the pixel values. */
    public int width() {
        return cropWidth > 0 ? cropWidth : resize.fixedWidth();
    }

    /** Height of the pixel values. */
    public int height() {
        return cropHeight > 0 ? cropHeight : resize.fixedHeight();
    }

    /** Floats per picture: 3 × height × width. */
    public int valuesPerImage() {
        return CHANNELS * width() * height();
    }

    /** The size a {@code width}×{@code height} picture is resized to before the crop, {@code {width, height}}. */
    int[] resizedSize(int width, int height) {
        if (resize == null) {
            return new int[] {width, height};
        }
        if (resize.fixedWidth() > 0) {
            return new int[] {resize.fixedWidth(), resize.fixedHeight()};
        }
        return new EdgeResize(resize.shortestEdge(), resize.longestEdge()).sizeFor(width, height);
    }

    /**
     * Writes one picture's pixel values, channels first (RGB planes of height × width), at {@code offset} of
     * {@code out}.
     */
    public void write(DecodedImage image, float[] out, int offset) {
        int[] size = resizedSize(image.width(), image.height());
        byte[] bgr = new byte[image.width() * image.height() * CHANNELS];
        image.bgr().get(0, 0, bgr);
        byte[] resized = BicubicResampler.resize(bgr, image.width(), image.height(), size[0], size[1]);
        byte[] cropped = cropWidth > 0 ? centreCrop(resized, size[0], size[1]) : resized;
        int pixels = width() * height();
        float[][] planes = normalization.rgbPlanes(cropped, pixels);
        for (int c = 0; c < CHANNELS; c++) {
            System.arraycopy(planes[c], 0, out, offset + c * pixels, pixels);
        }
    }

    /** The crop window, black where it lies outside the picture, offsets rounded down as the reference does. */
    private byte[] centreCrop(byte[] bgr, int width, int height) {
        if (width == cropWidth && height == cropHeight) {
            return bgr;
        }
        int[] columns = cropShift(width, cropWidth);
        int[] rows = cropShift(height, cropHeight);
        byte[] out = new byte[cropWidth * cropHeight * CHANNELS];
        for (int y = 0; y < cropHeight; y++) {
            int sourceY = y + rows[0] - rows[1];
            if (sourceY < 0 || sourceY >= height) {
                continue;
            }
            for (int x = 0; x < cropWidth; x++) {
                int sourceX = x + columns[0] - columns[1];
                if (sourceX >= 0 && sourceX < width) {
                    System.arraycopy(bgr, (sourceY * width + sourceX) * CHANNELS, out, (y * cropWidth + x) * CHANNELS,
                            CHANNELS);
                }
            }
        }
        return out;
    }

    /** {@code {first source pixel, first destination pixel}} along one axis. */
    private static int[] cropShift(int size, int crop) {
        double offset = (size - crop) / 2.0;
        return offset >= 0 ? new int[] {(int) Math.floor(offset), 0} : new int[] {0, (int) Math.floor(-offset)};
    }
}
