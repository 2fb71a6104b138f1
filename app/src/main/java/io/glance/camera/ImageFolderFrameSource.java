package io.glance.camera;

import io.glance.vision.DecodedImage;
import io.glance.vision.ImageDecoder;
import io.glance.vision.ImageLoadException;
import org.opencv.core.Mat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A folder of images standing in for a camera: the images in name order, each shown for
 * {@link #SECONDS_PER_IMAGE} seconds, delivered at {@link #FRAMES_PER_SECOND} like a camera. Immutable.
 *
 * @param folder the folder
 */
public record ImageFolderFrameSource(Path folder) implements FrameSource {
    static final int FRAMES_PER_SECOND = 30;
    static final int SECONDS_PER_IMAGE = 2;

    @Override
    public FrameReader open() throws CameraException {
        List<Path> files = imageFiles();
        if (files.isEmpty()) {
            throw new CameraException(folder + ": no images in this folder");
        }
        ImageDecoder decoder = new ImageDecoder();
        FramePacer pacer = new FramePacer(FRAMES_PER_SECOND);
        return new FrameReader() {
            private int frameCount;
            private int shownIndex = -1;
            private final Mat current = new Mat();

            @Override
            public boolean grab() {
                pacer.awaitNextFrame();
                frameCount++;
                return true;
            }

            @Override
            public boolean retrieve(Mat frame) {
                int index = (frameCount - 1) / (FRAMES_PER_SECOND * SECONDS_PER_IMAGE) % files.size();
                if (index != shownIndex) {
                    try (DecodedImage image = decoder.decode(files.get(index))) {
                        image.bgr().copyTo(current);
                    } catch (ImageLoadException unreadable) {
                        return false;
                    }
                    shownIndex = index;
                }
                current.copyTo(frame);
                return true;
            }

            @Override
            public void close() {
                current.release();
            }
        };
    }

    private List<Path> imageFiles() throws CameraException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(ImageFolderFrameSource::looksLikeImage).sorted().toList();
        } catch (IOException e) {
            throw new CameraException(folder + ": cannot list the folder (" + e.getMessage() + ")");
        }
    }

    private static boolean looksLikeImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".bmp")
                || name.endsWith(".webp");
    }

    @Override
    public String displayName() {
        return folder.getFileName().toString();
    }

    @Override
    public boolean isDevice() {
        return false;
    }
}
