/** Small controls the views share (a button with an accessible name and id). FX thread only. */
package io.glance.ui.controls;
