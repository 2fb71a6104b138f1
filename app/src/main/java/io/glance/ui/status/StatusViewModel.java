package io.glance.ui.status;

import io.glance.session.ModelInfo;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.util.Locale;

/**
 * View model of the status bar: the model and its precision, the device it runs on (and why it fell back to
 * the CPU), memory use and preview frame rate. FX thread only.
 */
public final class StatusViewModel {
    private final ReadOnlyStringWrapper model = new ReadOnlyStringWrapper("Loading model…");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper deviceDetails = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper memory = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();

    /**
     * @param loaded     the loaded model, null while loading
     * @param modelError why the model failed to load, null when it did not
     * @param loadingModel "Loading … " while a model loads, else empty
     */
    public StatusViewModel(ReadOnlyObjectProperty<ModelInfo> loaded, ReadOnlyStringProperty modelError,
                           ReadOnlyStringProperty loadingModel) {
        loaded.addListener((obs, old, info) -> show(info));
        loadingModel.addListener((obs, old, message) -> {
            loading.set(!message.isEmpty());
            if (!message.isEmpty()) {
                model.set(message);
                device.set("");
                deviceDetails.set("");
            }
        });
        modelError.addListener((obs, old, error) -> {
            if (error != null) {
                model.set("No model: " + error);
                device.set("");
            }
        });
        refreshMemory();
    }

    /** True while a model loads (the status bar shows a progress indicator). */
    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** "glance-demo-shapes · fp32", or "Loading … " while a model loads. */
    public ReadOnlyStringProperty modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** "Device: cpu" or "Device: cpu (fell back: cuda unavailable, …)". */
    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }

    /** The whole fallback reason (every accelerator tried and its error), or empty. */
    public ReadOnlyStringProperty deviceDetailsProperty() {
        return deviceDetails.getReadOnlyProperty();
    }

    /** "Memory 412 / 3072 MB". */
    public ReadOnlyStringProperty memoryProperty() {
        return memory.getReadOnlyProperty();
    }

    /** Reads the Java heap use again (the status bar calls this every few seconds). */
    public void refreshMemory() {
        Runtime runtime = Runtime.getRuntime();
        long used = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
        memory.set(String.format(Locale.ROOT, "Memory %d / %d MB", used, runtime.maxMemory() >> 20));
    }

    private void show(ModelInfo info) {
        if (info == null) {
            return;
        }
        model.set(info.name() + " · " + info.precision());
        device.set("Device: " + info.device()
                + (info.fallbackReason() == null ? "" : " (fell back: " + summary(info.fallbackReason()) + ")"));
        deviceDetails.set(info.fallbackReason() == null ? "" : info.fallbackReason());
    }

    /** "cuda unavailable (long error); directml unavailable (…)" → "cuda unavailable, directml unavailable". */
    static String summary(String reason) {
        StringBuilder shortened = new StringBuilder();
        for (String part : reason.split(";\\s*")) {
            int detail = part.indexOf(" (");
            shortened.append(shortened.isEmpty() ? "" : ", ").append(detail > 0 ? part.substring(0, detail) : part);
        }
        return shortened.toString();
    }
}
