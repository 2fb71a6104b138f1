/**
 * Camera input: device discovery with real names (Webcam Capture API over a native driver) and frame
 * grabbing with OpenCV. A {@link io.glance.camera.FrameGrabber} owns one camera thread, which also makes each
 * frame's display copy (scaled to a {@link io.glance.camera.PreviewFormat}); the newest frame wins and a slow
 * consumer never backs it up. A video file or an image folder can stand in for a camera.
 * Free of JavaFX.
 */
package io.glance.camera;
