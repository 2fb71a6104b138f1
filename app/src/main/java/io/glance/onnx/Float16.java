package io.glance.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * IEEE 754 half-precision conversions for float16 model inputs and outputs: single values, and whole buffers
 * the way tensors want them. Stateless; safe on any thread.
 */
final class Float16 {
    private Float16() {
    }

    /** The remaining values of {@code values} as halves, in a new direct buffer of the platform's byte order. */
    static ByteBuffer encode(FloatBuffer values) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(values.remaining() * 2).order(ByteOrder.nativeOrder());
        ShortBuffer halves = bytes.asShortBuffer();
        for (int i = values.position(); i < values.limit(); i++) {
            halves.put(fromFloat(values.get(i)));
        }
        return bytes;
    }

    /** Converts {@code count} halves of {@code halves}, from absolute index {@code from}, into {@code out}. */
    static void decode(ShortBuffer halves, int from, float[] out, int count) {
        for (int i = 0; i < count; i++) {
            out[i] = toFloat(halves.get(from + i));
        }
    }

    static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa / 1024f / 16384f;
            return sign == 0 ? value : -value;
        }
        if (exponent == 31) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    static short fromFloat(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7FFFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 31) {
            return (short) (sign | 0x7C00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x800000;
            int shift = 14 - exponent;
            int rounded = (mantissa + (1 << (shift - 1))) >> shift;
            return (short) (sign | rounded);
        }
        int rounded = (exponent << 10) | (mantissa >> 13);
        if ((mantissa & 0x1000) != 0) {
            rounded++;
        }
        return (short) (sign | rounded);
    }
}
