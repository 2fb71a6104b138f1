package io.glance.vision;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes JPEG, PNG, BMP and WebP files with OpenCV into {@link DecodedImage}s, refusing truncated ones
 * ({@link ImageFileInfo#requireComplete}) rather than decoding half a picture: EXIF orientation applied,
 * grayscale, palette and 16-bit images made 8-bit BGR, alpha composited onto white. Very large images are
 * decoded at a reduced scale (the model sees at most a few megapixels anyway); absurd ones are refused.
 * Stateless; safe on any thread.
 */
public final class ImageDecoder {
    /** Files larger than this are refused before reading. */
    public static final long MAX_FILE_BYTES = 512L << 20;
    /** Images with more pixels than this are decoded at 1/2, 1/4 or 1/8 scale. */
    public static final long REDUCE_ABOVE_PIXELS = 40_000_000L;
    /** Images with more pixels than this are refused. */
    public static final long MAX_PIXELS = 1L << 30;

    public ImageDecoder() {
        OpenCvLibrary.ensureLoaded();
    }

    /**
     * Reads and decodes one file.
     *
     * @throws ImageLoadException naming the file and the reason (missing, not an image, corrupt, too large)
     */
    public DecodedImage decode(Path file) throws ImageLoadException {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new ImageLoadException(file + ": file is too large (" + (size >> 20) + " MB)");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(file + ": no such file");
        } catch (IOException e) {
            throw new ImageLoadException(file + ": cannot read (" + e.getMessage() + ")");
        }
        try {
            return decode(bytes);
        } catch (ImageLoadException e) {
            throw new ImageLoadException(file + ": " + e.getMessage());
        }
    }

    /**
     * Decodes an encoded image held in memory.
     *
     * @throws ImageLoadException when the bytes are not a supported image, are corrupt, or are too large
     */
    public DecodedImage decode(byte[] bytes) throws ImageLoadException {
        ImageFileInfo info = ImageFileInfo.read(bytes);
        long pixels = (long) info.width() * info.height();
        if (info.width() <= 0 || info.height() <= 0) {
            throw new ImageLoadException("the image header gives an empty size");
        }
        if (pixels > MAX_PIXELS) {
            throw new ImageLoadException("image is too large (" + info.width() + "×" + info.height() + ")");
        }
        info.requireComplete(bytes);
        int flags = Imgcodecs.IMREAD_UNCHANGED;
        if (pixels > REDUCE_ABOVE_PIXELS) {
            flags = pixels / 4 <= REDUCE_ABOVE_PIXELS ? Imgcodecs.IMREAD_REDUCED_COLOR_2
                    : pixels / 16 <= REDUCE_ABOVE_PIXELS ? Imgcodecs.IMREAD_REDUCED_COLOR_4
                    : Imgcodecs.IMREAD_REDUCED_COLOR_8;
            flags |= Imgcodecs.IMREAD_IGNORE_ORIENTATION;
        }
        Mat decoded;
        try (Closer closer = new Closer()) {
            MatOfByte encoded = closer.add(new MatOfByte(bytes));
            decoded = Imgcodecs.imdecode(encoded, flags);
        }
        if (decoded.empty()) {
            decoded.release();
            throw new ImageLoadException("cannot decode the " + info.format() + " data (corrupt or truncated file)");
        }
        Mat bgr = toBgr8(decoded);
        return new DecodedImage(orient(bgr, info.orientation()));
    }

    /** Converts any depth and channel count to 8-bit BGR, compositing alpha onto white; releases {@code m}. */
    static Mat toBgr8(Mat m) {
        Mat eightBit = m;
        if (m.depth() != CvType.CV_8U) {
            eightBit = new Mat();
            double scale = m.depth() == CvType.CV_16U ? 1.0 / 257.0 : m.depth() == CvType.CV_32F ? 255.0 : 1.0;
            m.convertTo(eightBit, CvType.CV_8U, scale);
            m.release();
        }
        Mat bgr = new Mat();
        switch (eightBit.channels()) {
            case 1 -> Imgproc.cvtColor(eightBit, bgr, Imgproc.COLOR_GRAY2BGR);
            case 3 -> eightBit.copyTo(bgr);
            case 4 -> compositeOnWhite(eightBit, bgr);
            default -> {
                eightBit.release();
                throw new IllegalStateException("unexpected channel count " + eightBit.channels());
            }
        }
        eightBit.release();
        return bgr;
    }

    private static void compositeOnWhite(Mat bgra, Mat out) {
        try (Closer closer = new Closer()) {
            List<Mat> channels = new ArrayList<>();
            Core.split(bgra, channels);
            channels.forEach(closer::add);
            Mat alpha = closer.add(new Mat());
            channels.get(3).convertTo(alpha, CvType.CV_32F, 1.0 / 255.0);
            Mat inverse = closer.add(new Mat());
            Core.subtract(Mat.ones(alpha.size(), CvType.CV_32F), alpha, inverse);
            List<Mat> blended = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                Mat channel = closer.add(new Mat());
                channels.get(c).convertTo(channel, CvType.CV_32F);
                Mat fg = closer.add(new Mat());
                Core.multiply(channel, alpha, fg);
                Mat bg = closer.add(new Mat());
                Core.multiply(inverse, new Scalar(255.0), bg);
                Mat sum = closer.add(new Mat());
                Core.add(fg, bg, sum);
                Mat eight = closer.add(new Mat());
                sum.convertTo(eight, CvType.CV_8U);
                blended.add(eight);
            }
            Core.merge(blended, out);
        }
    }

    /** Applies an EXIF orientation (1..8) to {@code m}, releasing it when a new Mat is made. */
    static Mat orient(Mat m, int orientation) {
        if (orientation == 1) {
            return m;
        }
        Mat out = new Mat();
        switch (orientation) {
            case 2 -> Core.flip(m, out, 1);
            case 3 -> Core.rotate(m, out, Core.ROTATE_180);
            case 4 -> Core.flip(m, out, 0);
            case 5 -> Core.transpose(m, out);
            case 6 -> Core.rotate(m, out, Core.ROTATE_90_CLOCKWISE);
            case 7 -> {
                Mat t = new Mat();
                Core.transpose(m, t);
                Core.flip(t, out, -1);
                t.release();
            }
            case 8 -> Core.rotate(m, out, Core.ROTATE_90_COUNTERCLOCKWISE);
            default -> m.copyTo(out);
        }
        m.release();
        return out;
    }

    /** Releases the Mats it was given, in reverse order. */
    private static final class Closer implements AutoCloseable {
        private final List<Mat> mats = new ArrayList<>();

        <T extends Mat> T add(T mat) {
            mats.add(mat);
            return mat;
        }

        @Override
        public void close() {
            for (int i = mats.size() - 1; i >= 0; i--) {
                mats.get(i).release();
            }
        }
    }
}
