/**
 * The operating system's own calls that Java does not offer, made through JNA where the system has them and
 * skipped where it does not ({@link io.glance.os.LinuxC}). Depends on no other Glance package.
 */
package io.glance.os;
