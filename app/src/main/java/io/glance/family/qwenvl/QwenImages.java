package io.glance.family.qwenvl;

import io.glance.generation.DirectFloats;
import io.glance.generation.EncoderInput;
import io.glance.generation.ImagePreparation;
import io.glance.vision.BicubicResampler;
import io.glance.vision.DecodedImage;
import io.glance.vision.PixelNormalization;
import io.glance.vision.PlaneView;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Qwen-VL's image preprocessing, as the reference's Qwen2-VL image processor does it: {@link SmartResize} to
 * multiples of patch × merge, {@link BicubicResampler}, rescale and normalize, then the picture repeated over the
 * temporal axis and cut into patches in the order the vision encoder reads them: merge × merge blocks row by row,
 * the patches of a block row by row, each patch flattened channel, frame, y, x. Stateless apart from its settings;
 * safe on any thread.
 */
final class QwenImages implements ImagePreparation {
    private static final int CHANNELS = 3;

    private final QwenImageSettings settings;
    private final PixelNormalization normalization;

    QwenImages(QwenImageSettings settings) {
        this.settings = settings;
        this.normalization = new PixelNormalization(settings.rescaleFactor(), settings.mean(), settings.std());
    }

    /** The patch grid a picture of this size gets, without touching pixels. */
    QwenImageLayout layoutFor(int width, int height) {
        int[] size = SmartResize.size(height, width, settings.factor(), settings.minPixels(), settings.maxPixels());
        return new QwenImageLayout(1, size[0] / settings.patchSize(), size[1] / settings.patchSize(),
                settings.mergeSize());
    }

    @Override
    public EncoderInput prepare(List<DecodedImage> images) {
        List<DirectFloats> patches = new ArrayList<>(images.size());
        List<QwenImageLayout> grids = new ArrayList<>(images.size());
        for (DecodedImage image : images) {
            QwenImageLayout grid = layoutFor(image.width(), image.height());
            grids.add(grid);
            patches.add(patches(image, grid));
        }
        return new QwenPixels(patches, grids, rowWidth());
    }

    private int rowWidth() {
        return CHANNELS * settings.temporalPatchSize() * settings.patchSize() * settings.patchSize();
    }

    /** The picture's patch rows. */
    private DirectFloats patches(DecodedImage image, QwenImageLayout grid) {
        int patch = settings.patchSize();
        int merge = settings.mergeSize();
        int width = grid.gridW() * patch;
        int height = grid.gridH() * patch;
        byte[] bgr = new byte[image.width() * image.height() * CHANNELS];
        image.bgr().get(0, 0, bgr);
        byte[] resized = BicubicResampler.resize(bgr, image.width(), image.height(), width, height);
        PlaneView picture = normalization.view(resized);  // normalized as read: no float copy of the picture

        DirectFloats values = new DirectFloats((long) grid.patches() * rowWidth());
        FloatBuffer out = values.floats();
        float[] row = new float[rowWidth()];
        for (int blockY = 0; blockY < grid.gridH() / merge; blockY++) {
            for (int blockX = 0; blockX < grid.gridW() / merge; blockX++) {
                for (int innerY = 0; innerY < merge; innerY++) {
                    for (int innerX = 0; innerX < merge; innerX++) {
                        int top = (blockY * merge + innerY) * patch;
                        int left = (blockX * merge + innerX) * patch;
                        int i = 0;
                        for (int c = 0; c < CHANNELS; c++) {
                            for (int frame = 0; frame < settings.temporalPatchSize(); frame++) {
                                for (int y = 0; y < patch; y++) {
                                    int start = (top + y) * width + left;
                                    for (int x = 0; x < patch; x++) {
                                        row[i++] = picture.value(c, start + x);
                                    }
                                }
                            }
                        }
                        out.put(row);
                    }
                }
            }
        }
        return values;
    }
}
