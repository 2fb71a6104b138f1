/**
 * The user's settings as JSON in the OS-conventional config folder, and the user folders (config, data,
 * models) that the system property {@code glance.home} can move. A corrupt or unknown-version file loads as
 * defaults plus a notice and is kept aside, never overwritten silently. Reads and writes are whole-file and
 * atomic; callers keep file I/O off the FX thread.
 */
package io.glance.settings;
