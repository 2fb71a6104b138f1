package io.glance.session;

/**
 * Where a picture asked about came from, which decides how it is cut into tiles when the settings leave
 * splitting to Glance ({@link ModelRuntime#newChat}).
 */
public enum ImageOrigin {
    /** A live, frozen or cropped camera frame: the question wants an answer now. */
    CAMERA,
    /** An opened, dropped or pasted image, or one of a library: detail matters more than the wait. */
    PICTURE
}
