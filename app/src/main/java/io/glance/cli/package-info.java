/**
 * Headless commands on the same engine as the window: {@code ask}, {@code bench}, {@code caption}, {@code eval},
 * {@code models}, {@code search}. Each runs on the thread that calls it and is the only place that writes to the console.
 */
package io.glance.cli;
