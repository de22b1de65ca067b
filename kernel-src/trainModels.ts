/**
 * `node dist/kernel-src/cli.js train-models`: trains every model the course caches under
 * data/generated/ (or loads it when it is there), in two processes at once — each model trains on
 * one core — so a fresh clone's `npm test` and a class's image build wait once, not per notebook:
 *   lane a: the course CNN, the VAE, the DCGAN, the spoken digits and both speech recognizers
 *   lane b: the tiny BERT and the BiLSTM language model
 */
import { spawn } from 'child_process';
import * as path from 'path';

/** The models of each lane, by the library call that caches them. */
export const TRAIN_LANES: Record<'a' | 'b', string[]> = {
  a: ['courseModel', 'mnistVae', 'mnistDcgan', 'speech'],
  b: ['courseBert', 'courseBiLstm'],
};

/** Trains (or loads) the models of one lane in this process. */
export async function trainLane(lane: 'a' | 'b'): Promise<void> {
  // the library is loaded only here: the CLI's other commands do not need the engine
  const xai = await import('../index');
  await xai.ready({ verbose: false });
  for (const name of TRAIN_LANES[lane]) {
    const t0 = Date.now();
    let what: string;
    if (name === 'speech') {
      const data = await xai.spokenDigits();
      const clean = await xai.speechRecognizer({ data });
      const noisy = await xai.speechRecognizer({ data, noisy: true });
      what = `spoken digits, recognizers ${clean.trained ? 'trained' : 'loaded'} / ${noisy.trained ? 'trained' : 'loaded'}`;
      clean.model.dispose();
      noisy.model.dispose();
    } else {
      const made = (await (xai as unknown as Record<string, (o: object) => Promise<{ trained: boolean }>>)[name]({ quiet: true })) as { trained: boolean };
      what = made.trained ? 'trained' : 'loaded';
    }
    console.log(`train-models ${lane}: ${name} ${what} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** Runs both lanes as child processes; resolves to 0 when both succeeded. */
export function trainModels(): Promise<number> {
  const cli = path.join(__dirname, 'cli.js');
  const run = (lane: string) =>
    new Promise<number>((resolve) => {
      const child = spawn(process.execPath, [cli, 'train-models', '--lane', lane], { stdio: 'inherit' });
      child.on('error', () => resolve(1));
      child.on('exit', (code) => resolve(code ?? 1));
    });
  return Promise.all([run('a'), run('b')]).then((codes) => Math.max(...codes));
}
