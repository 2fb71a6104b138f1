/**
 * The desktop window, built in code, MVVM: views (nodes, dialogs and windows, and {@code ui.controls}) talk only
 * to view models, which expose read-only properties, never know views, and reach the model through the
 * {@link io.glance.session.ModelHost}; pixels come through {@code vision} and {@code camera}, never OpenCV.
 *
 * <p>Threads: the FX thread runs the UI only, never inference, image decoding or file I/O. One inference
 * thread (a single-thread executor, the host's) owns the model and every {@code ChatSession} call; file I/O for history,
 * settings ({@code io.glance.settings}) and the model store runs on one I/O thread; each model download runs on
 * a download thread of its own and its progress reaches the FX thread coalesced; the camera has its own thread,
 * which also scales each frame to the picture area for display. Answer text reaches the FX thread coalesced to
 * about 30 updates a second. View models take their executors as constructor arguments so tests can pass
 * same-thread twins.
 */
package io.glance.ui;
