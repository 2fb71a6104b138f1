/**
 * What the desktop offers the window, as ports with desktop implementations: file dialogs and opening or revealing
 * a file with the desktop's own applications (tests pass fakes). Dialogs run on the FX thread; opening a file
 * may block and runs on the I/O executor.
 */
package io.glance.ui.desktop;
