/**
 * The image library window: caption a folder into its index with the chat's model on the inference thread,
 * with progress and cancel; search the captions and show the hits as thumbnails; open or reveal a hit;
 * export the index. Index reads, searches, thumbnails, exports and opening files run on the I/O thread.
 */
package io.glance.ui.library;
