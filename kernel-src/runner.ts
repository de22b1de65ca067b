/**
 * `npm run notebooks [-- FILTER] [--timeout S]`: executes every notebook under notebooks/ headless
 * through Jupyter (nbclient + nbconvert) with the tslab-xai kernel, in name order, writing the
 * executed .ipynb and an .html export to notebooks/.out/. Exits non-zero naming the notebook, the
 * cell and the error on any error output or timeout.
 *
 * Homework notebooks (`notebooks/homework/`, or any `--dir` with a `solutions/` folder) run twice,
 * with the TODO stubs and with the solutions injected, and are judged by their self-checks (see
 * run_notebooks.py); their outputs go to `notebooks/.out/homework/NAME.stubs|solutions.html`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { findJupyterPython, JUPYTER_MISSING } from './jupyter';
import { installKernel, jupyterEnv, KERNEL_NAME } from './kernelspec';
import { homeworkDir, notebooksDir, outputDir, projectRoot } from './paths';

/** Options of {@link runNotebooks}. */
export interface RunOptions {
  /** Only notebooks whose file name contains this. */
  filter?: string;
  /** Per-notebook wall-clock limit in seconds (default 600). */
  timeoutSeconds?: number;
  /** Folder of notebooks (default: the project's notebooks/); outputs go to its `.out/`. */
  dir?: string;
}

/** Runs the notebooks; returns the process exit status (0 when all passed). */
export function runNotebooks(options: RunOptions = {}): number {
  const py = findJupyterPython();
  if (!py) {
    console.error(JUPYTER_MISSING);
    return 2;
  }
  installKernel();
  const script = path.join(projectRoot, 'kernel-src', 'run_notebooks.py');
  const dir = options.dir ? path.resolve(options.dir) : notebooksDir;
  const out = options.dir ? path.join(dir, '.out') : outputDir;
  const groups = [{ dir, out, homework: fs.existsSync(path.join(dir, 'solutions')) }];
  if (!options.dir && fs.existsSync(homeworkDir)) groups.push({ dir: homeworkDir, out: path.join(outputDir, 'homework'), homework: true });
  const matches = (d: string) => fs.readdirSync(d).some((f) => f.endsWith('.ipynb') && f.includes(options.filter ?? ''));
  const chosen = groups.filter((g) => matches(g.dir));
  let status = 0;
  // no match anywhere: let the script say so for the main folder, as before
  for (const g of chosen.length ? chosen : groups.slice(0, 1)) {
    const args = [script, g.dir, g.out, '--kernel', KERNEL_NAME, '--timeout', String(options.timeoutSeconds ?? 600)];
    if (options.filter) args.push('--filter', options.filter);
    if (g.homework) args.push('--homework');
    const r = spawnSync(py, args, { stdio: 'inherit', env: jupyterEnv(), cwd: g.dir });
    if (r.error) {
      console.error(`tslab-xai: could not start ${py}: ${r.error.message}`);
      return 1;
    }
    status = Math.max(status, r.status ?? 1);
  }
  return status;
}
