/** Zero-shot labels on the live picture: the labels panel and its view model. */
package io.glance.ui.labels;
