package io.glance.vision;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * What the header of an encoded image says, read without decoding pixels: the format, the stored size
 * and the EXIF orientation (1 = as stored, 2..8 as in the EXIF standard). Immutable; safe on any thread.
 *
 * @param format      {@code jpeg}, {@code png}, {@code bmp} or {@code webp}
 * @param width       stored width in pixels
 * @param height      stored height in pixels
 * @param orientation EXIF orientation tag, 1 when absent
 */
public record ImageFileInfo(String format, int width, int height, int orientation) {

    /**
     * Reads the header of {@code bytes}.
     *
     * @throws ImageLoadException when the bytes are not a JPEG, PNG, BMP or WebP image, or the header is cut short
     */
    public static ImageFileInfo read(byte[] bytes) throws ImageLoadException {
        try {
            if (startsWith(bytes, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
                return readJpeg(bytes);
            }
            if (startsWith(bytes, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) {
                return readPng(bytes);
            }
            if (startsWith(bytes, 0, new byte[] {'B', 'M'}) && bytes.length >= 26) {
                ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                return new ImageFileInfo("bmp", Math.abs(le.getInt(18)), Math.abs(le.getInt(22)), 1);
            }
            if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
                return readWebp(bytes);
            }
        } catch (IndexOutOfBoundsException e) {
            throw new ImageLoadException("the image header is cut short (truncated or corrupt file)");
        }
        throw new ImageLoadException("not a supported image (JPEG, PNG, BMP or WebP expected)");
    }

    /**
     * Checks that {@code bytes}, the file this header was read from, are not cut short, as OpenCV decodes a
     * truncated JPEG or PNG into a partial picture without an error: a JPEG needs its end-of-image marker after
     * the start of scan, a PNG its {@code IEND} chunk (bytes after either are allowed, as browsers allow them),
     * a BMP the pixel bytes its header declares, a WebP the RIFF size its header declares.
     *
     * @throws ImageLoadException saying that the file is truncated or corrupt and what is missing
     */
    public void requireComplete(byte[] bytes) throws ImageLoadException {
        String missing = switch (format) {
            case "jpeg" -> jpegHasEnd(bytes) ? null : "the JPEG data ends without its end-of-image marker";
            case "png" -> pngHasEnd(bytes) ? null : "the PNG data ends without its IEND chunk";
            case "bmp" -> bytes.length >= bmpDeclaredLength(bytes) ? null : "the BMP holds fewer pixel bytes than its header declares";
            case "webp" -> bytes.length >= 8 + u32le(bytes, 4) ? null : "the WebP holds fewer bytes than its RIFF header declares";
            default -> null;
        };
        if (missing != null) {
            throw new ImageLoadException(missing + " (truncated or corrupt file)");
        }
    }

    /** An EOI marker (FF D9) after the first start of scan: entropy-coded data escapes FF, so only markers match. */
    private static boolean jpegHasEnd(byte[] b) {
        int pos = 2;
        while (pos + 4 <= b.length && (b[pos] & 0xFF) == 0xFF) {
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
            } else if (marker == 0xDA) {
                for (int i = pos + 2; i + 1 < b.length; i++) {
                    if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                        return true;
                    }
                }
                return false;
            } else {
                pos += 2 + u16be(b, pos + 2);
            }
        }
        return false;
    }

    /** Walks the chunks by their lengths to an {@code IEND} chunk that fits in the file. */
    private static boolean pngHasEnd(byte[] b) {
        long pos = 8;
        while (pos + 12 <= b.length) {
            int at = (int) pos;
            if (startsWith(b, at + 4, ascii("IEND"))) {
                return true;
            }
            pos += 12 + u32be(b, at);
        }
        return false;
    }

    /** Pixel offset plus the rows an uncompressed BMP declares (or its image size when compressed); 0 if unknown. */
    private static long bmpDeclaredLength(byte[] b) {
        if (b.length < 38 || u32le(b, 14) < 40) {
            return 0;
        }
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long pixelOffset = u32le(b, 10);
        long width = Math.abs((long) le.getInt(18));
        long height = Math.abs((long) le.getInt(22));
        int bitsPerPixel = le.getShort(28) & 0xFFFF;
        long compression = u32le(b, 30);
        boolean uncompressed = compression == 0 || compression == 3 || compression == 6;
        long pixelBytes = uncompressed ? (bitsPerPixel * width + 31) / 32 * 4 * height : u32le(b, 34);
        return pixelOffset + pixelBytes;
    }

    private static ImageFileInfo readJpeg(byte[] b) throws ImageLoadException {
        int orientation = 1;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xFF) != 0xFF) {
                break;
            }
            int marker = b[pos + 1] & 0xFF;
            if (marker == 0xFF) {
                pos++;
                continue;
            }
            int length = u16be(b, pos + 2);
            int segment = pos + 4;
            if (marker == 0xE1 && startsWith(b, segment, ascii("Exif\0\0"))) {
                orientation = tiffOrientation(b, segment + 6);
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return new ImageFileInfo("jpeg", u16be(b, segment + 3), u16be(b, segment + 1), orientation);
            }
            pos += 2 + length;
        }
        throw new ImageLoadException("the JPEG has no frame header (truncated or corrupt file)");
    }

    private static ImageFileInfo readPng(byte[] b) {
        int width = (int) u32be(b, 16);
        int height = (int) u32be(b, 20);
        int orientation = 1;
        int pos = 8;
        while (pos + 12 <= b.length) {
            int length = (int) u32be(b, pos);
            if (startsWith(b, pos + 4, ascii("eXIf"))) {
                orientation = tiffOrientation(b, pos + 8);
                break;
            }
            if (startsWith(b, pos + 4, ascii("IDAT")) || length < 0) {
                break;
            }
            pos += 12 + length;
        }
        return new ImageFileInfo("png", width, height, orientation);
    }

    private static ImageFileInfo readWebp(byte[] b) throws ImageLoadException {
        int width = 0;
        int height = 0;
        int orientation = 1;
        int pos = 12;
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        while (pos + 8 <= b.length) {
            String chunk = new String(b, pos, 4, StandardCharsets.US_ASCII);
            int length = le.getInt(pos + 4);
            int data = pos + 8;
            switch (chunk) {
                case "VP8X" -> {
                    width = 1 + u24le(b, data + 4);
                    height = 1 + u24le(b, data + 7);
                }
                case "VP8 " -> {
                    if (width == 0) {
                        width = le.getShort(data + 6) & 0x3FFF;
                        height = le.getShort(data + 8) & 0x3FFF;
                    }
                }
                case "VP8L" -> {
                    if (width == 0) {
                        int bits = le.getInt(data + 1);
                        width = (bits & 0x3FFF) + 1;
                        height = ((bits >>> 14) & 0x3FFF) + 1;
                    }
                }
                case "EXIF" -> orientation = tiffOrientation(b,
                        startsWith(b, data, ascii("Exif\0\0")) ? data + 6 : data);
                default -> { }
            }
            if (length < 0) {
                break;
            }
            pos = data + length + (length & 1);
        }
        if (width == 0) {
            throw new ImageLoadException("the WebP has no image header (truncated or corrupt file)");
        }
        return new ImageFileInfo("webp", width, height, orientation);
    }

    /** Reads tag 0x0112 from the first IFD of a TIFF structure starting at {@code tiff}; 1 if absent or bad. */
    private static int tiffOrientation(byte[] b, int tiff) {
        if (tiff + 8 > b.length) {
            return 1;
        }
        ByteOrder order = b[tiff] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer buf = ByteBuffer.wrap(b).order(order);
        int ifd = tiff + buf.getInt(tiff + 4);
        if (ifd < tiff || ifd + 2 > b.length) {
            return 1;
        }
        int entries = buf.getShort(ifd) & 0xFFFF;
        for (int i = 0; i < entries; i++) {
            int entry = ifd + 2 + 12 * i;
            if (entry + 12 > b.length) {
                return 1;
            }
            if ((buf.getShort(entry) & 0xFFFF) == 0x0112) {
                int value = buf.getShort(entry + 8) & 0xFFFF;
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static boolean startsWith(byte[] b, int offset, byte[] prefix) {
        if (offset < 0 || offset + prefix.length > b.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int u16be(byte[] b, int i) {
        return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
    }

    private static long u32be(byte[] b, int i) {
        return ((long) u16be(b, i) << 16) | u16be(b, i + 2);
    }

    private static long u32le(byte[] b, int i) {
        return ByteBuffer.wrap(b, i, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }

    private static int u24le(byte[] b, int i) {
        return (b[i] & 0xFF) | ((b[i + 1] & 0xFF) << 8) | ((b[i + 2] & 0xFF) << 16);
    }
}
