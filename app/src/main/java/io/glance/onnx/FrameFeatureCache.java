package io.glance.onnx;

import io.glance.generation.ImageFeatures;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The vision encoder's output for the last pixel batch it encoded, keyed by a SHA-256 of the pixels: asking
 * about the same frozen camera frame or the same file again, in a new conversation, skips the encoder (seconds
 * on a laptop CPU) for a hash of a few milliseconds. One entry, so it holds a few hundred kilobytes at most.
 * Confined to one inference thread.
 */
final class FrameFeatureCache {
    private final ByteBuffer scratch = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private byte[] digest;
    private ImageFeatures features;

    /** The key of a batch: its shape and every pixel value. */
    byte[] keyOf(FloatBuffer pixels, int count, int tile) {
        MessageDigest sha = sha256();
        scratch.clear();
        scratch.putInt(count).putInt(tile).flip();
        sha.update(scratch);
        FloatBuffer values = pixels.duplicate();
        while (values.hasRemaining()) {
            scratch.clear();
            FloatBuffer chunk = scratch.asFloatBuffer();
            int n = Math.min(chunk.remaining(), values.remaining());
            FloatBuffer part = values.slice().limit(n);
            chunk.put(part);
            values.position(values.position() + n);
            scratch.limit(n * Float.BYTES);
            sha.update(scratch);
        }
        return sha.digest();
    }

    /** The features stored under {@code key}, or {@code null}. */
    ImageFeatures get(byte[] key) {
        return Arrays.equals(key, digest) ? features : null;
    }

    /** Keeps {@code encoded} as the features of {@code key}, replacing the previous entry. */
    void put(byte[] key, ImageFeatures encoded) {
        digest = key;
        features = encoded;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
