package io.glance.onnx;

import io.glance.generation.ImageDetail;
import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationOptions;
import io.glance.model.Precision;
import io.glance.model.PrecisionSet;
import io.glance.vision.DecodedImage;
import io.glance.vision.OpenCvLibrary;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads a model, asks about a picture and closes it, over and over, in a process of its own, and prints how much
 * its resident memory grew over the measured cycles ({@code grown_kb=N}). Run it in a JVM whose heap is fixed and
 * touched up front ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so that the growth is native memory.
 * Arguments: MODEL_DIR WARM_UP_CYCLES MEASURED_CYCLES.
 */
public final class LoadAskCloseCycles {
    private LoadAskCloseCycles() {
    }

    public static void main(String[] args) throws Exception {
        OpenCvLibrary.ensureLoaded();
        Path model = Path.of(args[0]);
        cycles(model, Integer.parseInt(args[1]));
        long before = residentKb();
        cycles(model, Integer.parseInt(args[2]));
        System.out.println("grown_kb=" + (residentKb() - before));
    }

    private static void cycles(Path model, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            try (LoadedModel loaded = LoadedModel.load(model, PrecisionSet.uniform(Precision.Q4), Device.CPU,
                    CpuThreading.interactive(1));
                 DecodedImage image = new DecodedImage(new Mat(120, 160, CvType.CV_8UC3, new Scalar(200, 220, 240)));
                 ChatSession chat = loaded.newChat(ImageDetail.MODEL_DEFAULT, null)) {
                chat.ask("Hi", List.of(image), GenerationOptions.greedy(3), s -> { }, new Cancellation());
            }
        }
    }

    private static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
