package io.glance.session;

import io.glance.generation.Cancellation;
import io.glance.generation.ChatSession;
import io.glance.generation.GenerationException;
import io.glance.generation.GenerationOptions;
import io.glance.generation.GenerationResult;
import io.glance.generation.PreparedImages;
import io.glance.settings.Settings;
import io.glance.vision.DecodedImage;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The loaded model and its conversation, behind one inference thread: loads, switches and closes the model,
 * answers questions (a question about the conversation's picture is a follow-up that reuses its cached prefix;
 * another picture starts a new conversation), reads pictures ahead of questions, and lends the model to other
 * work (a library run) between questions, all in the order asked.
 *
 * <p>Public methods: any thread; they return at once. The work runs on the inference executor, which must run
 * one task at a time in submission order; listeners and callbacks are called there.
 */
public final class ModelHost {
    private final Executor inference;
    private final ModelRuntimeLoader loader;
    /** Fixed generation options (tests, benchmarks), or null for greedy decoding up to the settings' length. */
    private final GenerationOptions fixedOptions;

    /* inference thread */
    private ModelRuntime runtime;
    private ChatSession session;
    /** The pictures {@link #session} was made for (they may be cut into tiles differently). */
    private ImageOrigin sessionOrigin;
    /** The subject id of the conversation's picture, or null when the next picture starts a conversation. */
    private String conversationSubject;
    private Settings settings = Settings.defaults();

    /**
     * @param inference runs one task at a time, in order (a single-thread executor; a same-thread one in tests)
     * @param options   fixed generation options, or null for greedy decoding up to the settings' answer length
     */
    public ModelHost(Executor inference, ModelRuntimeLoader loader, GenerationOptions options) {
        this.inference = inference;
        this.loader = loader;
        this.fixedOptions = options;
    }

    /** Called on the inference thread with the outcome of {@link #load}. */
    public interface LoadListener {
        void loaded(ModelInfo model);

        /** @param message why no model could be loaded, for people */
        void failed(String message);
    }

    /**
     * Loads the model the settings choose, after closing the one loaded; questions asked meanwhile wait for it.
     * The next question starts a new conversation.
     */
    public void load(Settings newSettings, LoadListener listener) {
        inference.execute(() -> {
            closeModel();
            settings = newSettings;
            try {
                runtime = loader.load(newSettings);
                listener.loaded(runtime.info());
            } catch (Exception e) {
                listener.failed(messageOf(e));
            }
        });
    }

    /**
     * Uses new settings for the next questions (answer length; image splitting, longest edge and system prompt
     * start a new conversation). A change of model, precision or device needs {@link #load}.
     */
    public void useSettings(Settings newSettings) {
        inference.execute(() -> {
            boolean restart = newSettings.needsNewConversation(settings);
            settings = newSettings;
            if (restart) {
                closeSession();
            }
        });
    }

    /** Forgets the conversation; the next question starts a new one (the model and its cache memory stay). */
    public void newConversation() {
        inference.execute(() -> {
            conversationSubject = null;
            if (session != null) {
                try {
                    session.reset();
                } catch (GenerationException e) {
                    closeSession();
                }
            }
        });
    }

    /**
     * Reads a picture ahead of a question about it: fetches it and runs the vision encoder on the inference thread,
     * after the work already asked for. Asking with the returned handle then skips both. Cancel the handle when
     * it is no longer wanted: that frees its pixels.
     *
     * @param whenReady called on the inference thread once the features are ready (not on failure or cancel)
     */
    public PreparedPicture prepare(ImageRequest image, Runnable whenReady) {
        PreparedPicture prepared = new PreparedPicture(image, inference);
        inference.execute(() -> readAhead(prepared, whenReady));
        return prepared;
    }

    private void readAhead(PreparedPicture prepared, Runnable whenReady) {
        if (prepared.cancellation().isCancelled()) {
            return;
        }
        DecodedImage picture = null;
        try {
            picture = prepared.request().loader().get();
            if (picture == null) {
                return;
            }
            PreparedImages features = session(prepared.request().origin()).prepareImages(List.of(picture),
                    prepared.cancellation());
            if (prepared.cancellation().isCancelled()) {
                return;
            }
            prepared.fill(picture, features);
            picture = null;
            whenReady.run();
        } catch (Exception e) {
            // the question about this picture fetches and encodes it again, and says what went wrong
        } finally {
            if (picture != null) {
                picture.close();
            }
        }
    }

    /**
     * Asks a question after the work already asked for.
     *
     * @param image     the picture; a follow-up when its subject is the conversation's; null for no new picture
     * @param readAhead the same picture read ahead by {@link #prepare}, or null; used when it is ready and fits
     *                  the conversation, else the picture is fetched and encoded as usual
     */
    public AskedQuestion ask(String question, ImageRequest image, PreparedPicture readAhead, AnswerListener listener) {
        AskedQuestion asked = new AskedQuestion();
        inference.execute(() -> {
            if (asked.claim()) {
                answer(question, image, readAhead, asked.cancellation(), listener);
            }
        });
        return asked;
    }

    private void answer(String question, ImageRequest image, PreparedPicture readAhead, Cancellation cancel,
                        AnswerListener listener) {
        listener.started();
        DecodedImage fetched = null;
        try {
            boolean followUp = image == null || image.subjectId().equals(conversationSubject);
            ChatSession chat = followUp && session != null ? session
                    : session(image == null ? ImageOrigin.PICTURE : image.origin());
            PreparedPicture ready = followUp || readAhead == null || !readAhead.isReady()
                    || !readAhead.subjectId().equals(image.subjectId()) ? null : readAhead;
            DecodedImage picture = null;
            if (!followUp) {
                picture = ready != null ? ready.picture() : (fetched = image.loader().get());
                if (picture == null) {
                    throw new IllegalStateException("no picture yet from " + image.label());
                }
                chat.reset();
                conversationSubject = image.subjectId();
                listener.picture(picture);
            }
            if (cancel.isCancelled()) {
                listener.stoppedBeforeStart();
                return;
            }
            GenerationOptions options = fixedOptions != null ? fixedOptions
                    : GenerationOptions.greedy(settings.maxNewTokens());
            boolean usesReadAhead = ready != null && ready.features().fitFor(chat);
            GenerationResult result = usesReadAhead
                    ? chat.ask(question, ready.features(), options, listener::text, cancel)
                    : chat.ask(question, picture == null ? List.of() : List.of(picture), options, listener::text, cancel);
            listener.answered(new Answer(result, usesReadAhead, runtime.info()));
        } catch (Exception e) {
            listener.failed(messageOf(e));
        } finally {
            if (fetched != null) {
                fetched.close();
            }
        }
    }

    /**
     * Runs {@code work} with the model (loading it first when none is loaded) after the questions already asked and
     * before those asked later, so the model is loaded once and never used by two at a time.
     *
     * @param failed receives, on the inference thread, what loading the model or the work threw
     * @param ended  runs on the inference thread when the work is over, whatever its outcome
     */
    public void withModel(ModelWork work, Consumer<Exception> failed, Runnable ended) {
        inference.execute(() -> {
            try {
                work.run(runtime(), settings);
            } catch (Exception e) {
                failed.accept(e);
            } finally {
                ended.run();
            }
        });
    }

    /** Frees the conversation and the model, after the work already asked for. */
    public void close() {
        inference.execute(this::closeModel);
    }

    /** Inference thread: frees the conversation; the next question starts a new one. */
    private void closeSession() {
        conversationSubject = null;
        if (session != null) {
            session.close();
            session = null;
        }
    }

    /** Inference thread: frees the conversation and the model. */
    private void closeModel() {
        closeSession();
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    private ModelRuntime runtime() throws Exception {
        if (runtime == null) {
            runtime = loader.load(settings);
        }
        return runtime;
    }

    /** Inference thread: the conversation for pictures of {@code origin}; one for the other origin is closed. */
    private ChatSession session(ImageOrigin origin) throws Exception {
        if (session != null && sessionOrigin != origin) {
            closeSession();
        }
        if (session == null) {
            session = runtime().newChat(settings, origin);
            sessionOrigin = origin;
        }
        return session;
    }

    private static String messageOf(Exception e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
