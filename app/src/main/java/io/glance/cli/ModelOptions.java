package io.glance.cli;

import io.glance.model.InvalidModelException;
import io.glance.model.ModelFolder;
import io.glance.onnx.Device;
import io.glance.onnx.LoadedModel;
import io.glance.onnx.VisionEncoderLoading;
import io.glance.session.ModelLocator;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The options that choose and load a model for a command (a picocli mixin): {@code --model}, {@code --dtype},
 * {@code --device} and the CPU options, and the one sequence that turns them into a loaded model. Filled by
 * picocli on the command's thread; read-only after.
 */
public final class ModelOptions {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model folder in the published layout (default: the installed or bundled model).")
    Path model;

    @Option(names = "--dtype", paramLabel = "PRECISION",
            description = "Precision: fp32, fp16, int8, uint8, q8, q4, q4f16, bnb4, or vision=…,embed=…,decoder=… "
                    + "(default: the precision in the settings when the model has it, else q4, int8 or fp32).")
    String dtype;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, cuda, directml or coreml (default: auto).")
    String device = "auto";

    @Mixin
    CpuOptions cpu = new CpuOptions();

    /**
     * Resolves the model folder ({@code --model}, else the active installed model, else the bundled one), chooses
     * its precision and loads it on the preferred device, with its vision encoder now or with the first picture.
     *
     * @throws UsageException        when {@code --device} names no device
     * @throws InvalidModelException when no model is found, or its files are missing or wrong
     */
    LoadedModel load(ModelLocator locator, VisionEncoderLoading vision) throws UsageException, InvalidModelException {
        Device preferred;
        try {
            preferred = Device.parse(device);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        ModelFolder folder = ModelFolder.open(locator.resolve(model));
        return LoadedModel.load(folder, locator.precisionFor(folder, dtype), preferred, cpu.threading(), vision);
    }
}
