/**
 * The model host: the loaded model, its conversation, questions, pictures read ahead and work that borrows the
 * model, behind one inference thread, with no UI. {@link io.glance.session.ModelHost}'s methods may be called
 * from any thread and return at once; the work runs on the inference thread in the order it was asked for, and
 * listeners are called there. The window's view models and the CLI are adapters over it.
 */
package io.glance.session;
