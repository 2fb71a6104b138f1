// local_image_processor.mjs -- transformers.js (TJS_DIST, else the installed package) with remote models switched
// off, and the image processor of a model folder on disk. Shared by the dump_*_pixels.mjs scripts.
import path from 'node:path';

/** Returns { processor, RawImage } for MODEL_DIR, read only from disk. */
export async function localImageProcessor(modelDir) {
    const { env, AutoImageProcessor, RawImage } = await import(process.env.TJS_DIST ?? '@huggingface/transformers');
    env.allowRemoteModels = false;
    env.localModelPath = path.dirname(path.resolve(modelDir)) + '/';
    const processor = await AutoImageProcessor.from_pretrained(path.basename(path.resolve(modelDir)));
    return { processor, RawImage };
}
