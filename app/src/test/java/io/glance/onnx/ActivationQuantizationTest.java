package io.glance.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.glance.TestModels;
import io.glance.family.smolvlm.ImagePreprocessor;
import io.glance.family.smolvlm.PixelBatch;
import io.glance.family.smolvlm.SmolVlmImageSettings;
import io.glance.generation.Cancellation;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Telling dynamic activation quantization from the graph, and encoding such graphs' tiles in one run. */
class ActivationQuantizationTest {
    @TempDir
    Path dir;

    private static Path graph(String name) {
        return TestModels.tinyRandom().resolve("onnx").resolve(name);
    }

    @Test
    void theIntegerExportsQuantizeActivationsAndTheWeightOnlyOnesDoNot() {
        for (String suffix : List.of("_int8", "_uint8", "_quantized")) {
            assertTrue(ActivationQuantization.isDynamic(graph("vision_encoder" + suffix + ".onnx"), Precision.FP32), suffix);
            assertTrue(ActivationQuantization.isDynamic(graph("decoder_model_merged" + suffix + ".onnx"), Precision.FP32), suffix);
        }
        for (String suffix : List.of("", "_q4", "_q4f16")) {
            assertFalse(ActivationQuantization.isDynamic(graph("vision_encoder" + suffix + ".onnx"), Precision.INT8), suffix);
            assertFalse(ActivationQuantization.isDynamic(graph("decoder_model_merged" + suffix + ".onnx"), Precision.INT8), suffix);
        }
    }

    @Test
    void theOperatorTypesAreReadFromTheFile() throws Exception {
        assertTrue(ActivationQuantization.operatorTypes(graph("decoder_model_merged_q4.onnx")).contains("MatMulNBits"));
        var int8 = ActivationQuantization.operatorTypes(graph("decoder_model_merged_int8.onnx"));
        assertTrue(int8.containsAll(List.of("DynamicQuantizeLinear", "MatMulInteger", "Softmax")), int8.toString());
    }

    @Test
    void aFileThatIsNotOnnxFallsBackOnThePrecisionName() throws Exception {
        Path text = Files.writeString(dir.resolve("vision_encoder_int8.onnx"), "not a model\n".repeat(20));
        assertTrue(ActivationQuantization.isDynamic(text, Precision.INT8));
        assertTrue(ActivationQuantization.isDynamic(text, Precision.Q8));
        assertFalse(ActivationQuantization.isDynamic(text, Precision.Q4));
    }

    @Test
    void anInt8EncoderEncodesAllTilesInOneRunAsTheReferenceDoes() throws Exception {
        OpenCvLibrary.ensureLoaded();
        Mat mat = new Mat(120, 160, CvType.CV_8UC3, new Scalar(200, 220, 240));
        Imgproc.circle(mat, new Point(50, 60), 25, new Scalar(0, 0, 255), -1);
        try (LoadedModel model = LoadedModel.load(TestModels.tinyRandom(), PrecisionSet.uniform(Precision.INT8),
                Device.CPU, CpuThreading.interactive(1));
             DecodedImage image = new DecodedImage(mat)) {
            PixelBatch pixels = new ImagePreprocessor(SmolVlmImageSettings.read(model.folder())).preprocess(List.of(image));
            assertTrue(pixels.count() > 1, "the image is split into tiles");
            float[] ours = model.model().encodeImages(pixels, new Cancellation()).data();
            float[] batched = encodeDirectly(pixels, 0, pixels.count());
            assertArrayEquals(batched, ours, "the features of one run over all tiles");
            float[] firstTileAlone = encodeDirectly(pixels, 0, 1);
            float[] firstTileInBatch = Arrays.copyOf(batched, firstTileAlone.length);
            assertFalse(Arrays.equals(firstTileAlone, firstTileInBatch),
                    "with one activation scale per run, a tile's features depend on the tiles run with it");
        }
    }

    /** Tiles [from, from + count) through the int8 encoder in one plain ONNX Runtime run. */
    private static float[] encodeDirectly(PixelBatch pixels, int from, int count) throws Exception {
        int tile = pixels.tile();
        int values = 3 * tile * tile;
        var slice = pixels.pixels().duplicate();
        slice.position(from * values).limit((from + count) * values);
        ByteBuffer mask = ByteBuffer.allocateDirect(count * tile * tile);
        while (mask.hasRemaining()) {
            mask.put((byte) 1);
        }
        mask.flip();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(graph("vision_encoder_int8.onnx").toString(), new OrtSession.SessionOptions());
             OnnxTensor pixelTensor = OnnxTensor.createTensor(env, slice.slice(), new long[] {1, count, 3, tile, tile});
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, mask, new long[] {1, count, tile, tile}, OnnxJavaType.BOOL);
             OrtSession.Result result = session.run(Map.of("pixel_values", pixelTensor, "pixel_attention_mask", maskTensor))) {
            return OnnxVisionLanguageModel.readFloats((OnnxTensor) result.get(0));
        }
    }
}
