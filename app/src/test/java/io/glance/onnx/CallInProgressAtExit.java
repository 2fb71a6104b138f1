package io.glance.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Path;

/**
 * Child process of {@link OrtShutdownGuardTest}: with Glance's signal handlers, inside one {@link OrtShutdownGuard} call, prints
 * {@code inside}, waits {@code args[1]} ms (the parent sends SIGTERM meanwhile), creates and closes a session
 * of {@code args[0]}, prints {@code finished}; then, still inside (so the exit is waiting and cannot end the
 * process before the answer is printed), has another thread try a second call, which must be refused
 * ({@code second call refused}, not {@code second call ran}); then waits to be ended.
 */
public final class CallInProgressAtExit {
    private CallInProgressAtExit() {
    }

    public static void main(String[] args) throws Exception {
        OrtShutdownGuard.installSignalHandlers();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long pauseMillis = Long.parseLong(args[1]);
        OrtShutdownGuard.call(() -> {
            System.out.println("inside");
            System.out.flush();
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                 OrtSession session = env.createSession(Path.of(args[0]).toString(), options)) {
                System.out.println("finished");
                System.out.flush();
            }
            Thread secondCaller = new Thread(CallInProgressAtExit::trySecondCall);
            secondCaller.start();
            try {
                secondCaller.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        Thread.sleep(60_000);
    }

    private static void trySecondCall() {
        try {
            OrtShutdownGuard.call(() -> {
                System.out.println("second call ran");
                return null;
            });
        } catch (OrtException e) {
            System.out.println("second call refused");
        }
        System.out.flush();
    }
}
