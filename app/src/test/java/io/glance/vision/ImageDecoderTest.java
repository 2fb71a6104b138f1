package io.glance.vision;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding real files, including hostile ones. */
class ImageDecoderTest {
    private static ImageDecoder decoder;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        decoder = new ImageDecoder();
    }

    private static byte[] encode(String ext, Mat mat, int... params) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(ext, mat, out, new MatOfInt(params));
        return out.toArray();
    }

    /** A 40×20 JPEG whose left half is red and right half blue. */
    private static Mat redBlue() {
        Mat mat = new Mat(20, 40, CvType.CV_8UC3, new Scalar(0, 0, 255));
        mat.colRange(20, 40).setTo(new Scalar(255, 0, 0));
        return mat;
    }

    private static double[] pixel(DecodedImage image, int row, int col) {
        return image.bgr().get(row, col);
    }

    private Path truncatedCopy(String name, byte[] whole) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(whole, whole.length / 2));
        return file;
    }

    /** A 64×64 picture with noise, so that half of its file is a long way into the pixel data. */
    private static Mat noisy() {
        Mat mat = new Mat(64, 64, CvType.CV_8UC3);
        org.opencv.core.Core.randu(mat, 0, 255);
        return mat;
    }

    @Test
    void aJpegOrPngCutInHalfIsRefusedAsTruncatedNamingTheFile() throws Exception {
        for (String ext : new String[] {".jpg", ".png"}) {
            Path half = truncatedCopy("half" + ext, encode(ext, noisy()));
            ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(half));
            assertTrue(e.getMessage().startsWith(half.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
        }
    }

    @Test
    void aBmpOrWebpShorterThanItsHeaderDeclaresIsRefused() throws Exception {
        for (String ext : new String[] {".bmp", ".webp"}) {
            byte[] whole = encode(ext, noisy());
            try (DecodedImage image = decoder.decode(whole)) {
                assertEquals(64, image.width(), "the whole " + ext + " decodes");
            }
            Path half = truncatedCopy("half" + ext, whole);
            ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(half));
            assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
        }
    }

    @Test
    void bytesAfterTheEndMarkerAreAccepted() throws Exception {
        for (String ext : new String[] {".jpg", ".png"}) {
            ByteArrayOutputStream padded = new ByteArrayOutputStream();
            padded.write(encode(ext, redBlue()));
            padded.write(new byte[4096]); // zero padding, as some cameras write after the end marker
            padded.write("trailing data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (DecodedImage image = decoder.decode(padded.toByteArray())) {
                assertEquals(40, image.width(), ext);
                assertTrue(pixel(image, 10, 5)[2] > 200, ext + ": still red on the left");
            }
        }
    }

    @Test
    void aJpegWhoseExifThumbnailEndsWithAnEndMarkerIsStillTruncatedWhenItsScanIsCut() throws Exception {
        byte[] thumbnail = encode(".jpg", redBlue());
        byte[] jpeg = withApp1(encode(".jpg", noisy()), thumbnail);
        byte[] half = Arrays.copyOf(jpeg, jpeg.length - (jpeg.length - thumbnail.length) / 2);
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(half));
        assertTrue(e.getMessage().contains("end-of-image marker"), e.getMessage());
    }

    /** {@code jpeg} with an APP1 segment holding {@code payload} (an FF D9 inside it) right after SOI. */
    private static byte[] withApp1(byte[] jpeg, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        int length = payload.length + 2;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.write(payload, 0, payload.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void appliesExifOrientationFromAJpeg() throws Exception {
        byte[] jpeg = encode(".jpg", redBlue());
        byte[] rotated = withExifOrientation(jpeg, 6);
        assertEquals(6, ImageFileInfo.read(rotated).orientation());
        try (DecodedImage image = decoder.decode(rotated)) {
            assertEquals(20, image.width(), "rotated 90° clockwise: width and height swap");
            assertEquals(40, image.height());
            assertTrue(pixel(image, 5, 10)[2] > 200, "red (was left) is now on top");
            assertTrue(pixel(image, 35, 10)[0] > 200, "blue (was right) is now at the bottom");
        }
    }

    @Test
    void compositesAlphaOntoWhite() {
        Mat bgra = new Mat(10, 10, CvType.CV_8UC4, new Scalar(0, 0, 255, 255));
        bgra.colRange(5, 10).setTo(new Scalar(0, 0, 0, 0));
        try (DecodedImage image = decoder.decode(encode(".png", bgra))) {
            assertArrayEquals(new double[] {0, 0, 255}, pixel(image, 2, 2));
            assertArrayEquals(new double[] {255, 255, 255}, pixel(image, 2, 7), "transparent becomes white, not black");
        } catch (ImageLoadException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void grayscaleAndSixteenBitBecomeEightBitBgr() throws Exception {
        try (DecodedImage gray = decoder.decode(encode(".png", new Mat(8, 8, CvType.CV_8UC1, new Scalar(100))))) {
            assertArrayEquals(new double[] {100, 100, 100}, pixel(gray, 1, 1));
        }
        try (DecodedImage deep = decoder.decode(encode(".png", new Mat(8, 8, CvType.CV_16UC3, new Scalar(65535, 0, 0))))) {
            assertArrayEquals(new double[] {255, 0, 0}, pixel(deep, 1, 1));
        }
    }

    @Test
    void decodesBmpAndWebp() throws Exception {
        for (String ext : new String[] {".bmp", ".webp"}) {
            try (DecodedImage image = decoder.decode(encode(ext, redBlue()))) {
                assertEquals(40, image.width(), ext);
                assertTrue(pixel(image, 10, 5)[2] > 200, ext + " keeps red on the left");
            }
        }
    }

    @Test
    void aFiveByThreeImageDecodes() throws Exception {
        try (DecodedImage image = decoder.decode(encode(".png", new Mat(3, 5, CvType.CV_8UC3, new Scalar(1, 2, 3))))) {
            assertEquals(5, image.width());
            assertEquals(3, image.height());
        }
    }

    @Test
    void aHugeImageIsDecodedAtReducedScale() throws Exception {
        Mat huge = new Mat(9000, 12000, CvType.CV_8UC3, new Scalar(0, 255, 0));
        byte[] jpeg = encode(".jpg", huge, Imgcodecs.IMWRITE_JPEG_QUALITY, 50);
        huge.release();
        try (DecodedImage image = decoder.decode(jpeg)) {
            assertEquals(6000, image.width(), "108 MP decodes at half size (27 MP), under the 40 MP cap");
            assertEquals(4500, image.height());
        }
    }

    @Test
    void truncatedJpegIsAClearError() throws Exception {
        byte[] jpeg = encode(".jpg", redBlue());
        Path file = dir.resolve("cut.jpg");
        Files.write(file, Arrays.copyOf(jpeg, 120));
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void textFileNamedPngIsRefused() throws Exception {
        Path file = dir.resolve("notes.png");
        Files.writeString(file, "this is not an image");
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(file));
        assertTrue(e.getMessage().contains("not a supported image"), e.getMessage());
    }

    @Test
    void missingFileIsAClearError() {
        ImageLoadException e = assertThrows(ImageLoadException.class, () -> decoder.decode(dir.resolve("nope.jpg")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void corruptPixelDataIsAClearError() {
        byte[] png = encode(".png", redBlue());
        for (int i = 60; i < png.length - 20; i++) {
            png[i] = (byte) 0x5A;
        }
        assertThrows(ImageLoadException.class, () -> decoder.decode(png));
    }

    /** Inserts an APP1 Exif segment with one orientation entry after the SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        ByteArrayOutputStream tiff = new ByteArrayOutputStream();
        tiff.writeBytes(new byte[] {'M', 'M', 0, 42, 0, 0, 0, 8});
        tiff.writeBytes(new byte[] {0, 1});
        tiff.writeBytes(new byte[] {0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0});
        tiff.writeBytes(new byte[] {0, 0, 0, 0});
        byte[] payload = tiff.toByteArray();
        int length = 2 + 6 + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(0xD8);
        out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xE1, (byte) (length >> 8), (byte) length});
        out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
        out.writeBytes(payload);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
