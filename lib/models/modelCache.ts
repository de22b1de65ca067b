/**
 * Models trained once and cached under `data/generated/` (the course CNN, the VAE, the DCGAN):
 * saved as plain model.json + weights.bin by a file IOHandler (no tfjs-node needed) with a
 * meta.json holding the recipe version, loaded afterwards; a saved set of another recipe version,
 * or one that cannot be read, is retrained with a one-line note, never a crash.
 *
 * @example
 * ```ts
 * const c = await cachedModels('mnistVae', 'VAE', dir, 1, ['encoder', 'decoder'], {}, async () => ({ models: { encoder, decoder }, meta: { testLoss } }));
 * c.models.decoder; c.meta.testLoss; c.trained;
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';
import { tf } from '../engine/tf';

/** An IOHandler that writes model.json and weights.bin into `dir` (what tfjs-node's file:// does). */
export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    save: async (artifacts: tf.io.ModelArtifacts) => {
      fs.mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : tf.io.concatenateArrayBuffers(artifacts.weightData as ArrayBuffer[]);
      fs.writeFileSync(path.join(dir, 'weights.bin'), Buffer.from(weights));
      const json = { modelTopology: artifacts.modelTopology, format: artifacts.format, generatedBy: artifacts.generatedBy, convertedBy: artifacts.convertedBy, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] };
      fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weights.byteLength } };
    },
  };
}

/** An IOHandler that reads what {@link fileSaveHandler} wrote. */
export function fileLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
      const bin = fs.readFileSync(path.join(dir, 'weights.bin'));
      const manifest = json.weightsManifest?.[0];
      if (!manifest) throw new Error(`${dir}/model.json has no weightsManifest`);
      const weightData = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength);
      return { modelTopology: json.modelTopology, format: json.format, weightSpecs: manifest.weights, weightData };
    },
  };
}

/** Saved models and their meta.json (which carries `version`). */
export interface SavedModels<M extends object> {
  models: Record<string, tf.LayersModel>;
  meta: M & { version: number };
}

/**
 * The models `names` saved in `dir` (each in `dir/<name>`; the name '' is `dir` itself) with
 * recipe `version`, or why they cannot be used: `'none'` (no meta.json there), another recipe
 * version, or a file that could not be read (the error's first line).
 */
export async function loadSavedModels<M extends object>(dir: string, version: number, names: readonly string[]): Promise<SavedModels<M> | string> {
  const metaPath = path.join(dir, 'meta.json');
  if (!fs.existsSync(metaPath)) return 'none';
  const models: Record<string, tf.LayersModel> = {};
  try {
    const meta = JSON.parse(fs.readFileSync(metaPath, 'utf8')) as M & { version: number };
    if (meta.version !== version) return `it is of recipe version ${meta.version}, not ${version}`;
    for (const name of names) models[name] = await tf.loadLayersModel(fileLoadHandler(path.join(dir, name)));
    return { models, meta };
  } catch (e) {
    Object.values(models).forEach((m) => m.dispose());
    return `it could not be read (${(e as Error).message.split('\n')[0]})`;
  }
}

/** What {@link cachedModels} returns. */
export interface CachedModels<M extends object> extends SavedModels<M> {
  /** Whether this call trained them (false: loaded from `dir`). */
  trained: boolean;
  /** Milliseconds this call took (training, or loading). */
  ms: number;
}

/**
 * Loads the models `names` from `dir` when saved there with recipe `version`; otherwise (or with
 * `retrain`) runs `train`, saves what it returns with its meta, and returns that. `where` and `what`
 * name the note printed when a saved set is retrained (`mnistVae: retraining the saved VAE in …: …`).
 */
export async function cachedModels<M extends object>(
  where: string,
  what: string,
  dir: string,
  version: number,
  names: readonly string[],
  options: { retrain?: boolean },
  train: () => Promise<{ models: Record<string, tf.LayersModel>; meta: M }>,
): Promise<CachedModels<M>> {
  if (typeof dir !== 'string' || dir === '') throw new Error(`${where}: options.dir must be a folder path; got ${JSON.stringify(dir)}`);
  const t0 = Date.now();
  if (!options.retrain) {
    const saved = await loadSavedModels<M>(dir, version, names);
    if (typeof saved !== 'string') return { ...saved, trained: false, ms: Date.now() - t0 };
    if (saved !== 'none') console.log(`${where}: retraining the saved ${what} in ${dir}: ${saved}`);
  }
  const { models, meta } = await train();
  for (const name of names) await models[name].save(fileSaveHandler(path.join(dir, name)));
  const full = { ...meta, version, trainedMs: Date.now() - t0 };
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify(full, null, 1));
  return { models, meta: full, trained: true, ms: Date.now() - t0 };
}
