package io.glance.bench;

import io.glance.TestModels;
import io.glance.family.smolvlm.ImagePreprocessor;
import io.glance.family.smolvlm.PixelBatch;
import io.glance.family.smolvlm.SmolVlmImageSettings;
import io.glance.model.ModelFolder;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * JMH: one 1280×720 camera frame turned into SmolVLM-256M's encoder input (resize, tiles, rescale and
 * normalize into float pixels), with the real model's preprocessing settings; splitting off (one 512×512
 * tile) and on (longest edge 2048: 4×2 tiles plus the global one). Run through {@code scripts/bench/jmh.sh}.
 */
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PreprocessBenchmark extends MicroBenchmark {
    @Param({"false", "true"})
    boolean split;

    private ImagePreprocessor preprocessor;
    private DecodedImage frame;

    @Setup
    public void setUp() throws Exception {
        OpenCvLibrary.ensureLoaded();
        preprocessor = new ImagePreprocessor(SmolVlmImageSettings.read(ModelFolder.open(TestModels.referenceConfigs()))
                .withOverrides(split, null));
        Mat noise = new Mat(720, 1280, CvType.CV_8UC3);
        Core.randn(noise, 128, 40);
        frame = new DecodedImage(noise);
    }

    @TearDown
    public void tearDown() {
        frame.close();
    }

    @Benchmark
    public PixelBatch preprocessFrame() {
        return preprocessor.preprocess(List.of(frame));
    }
}
