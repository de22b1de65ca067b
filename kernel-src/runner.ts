/**
 * `npm run notebooks [-- FILTER] [--timeout S]`: executes every notebook under notebooks/ headless
 * through Jupyter (nbclient + nbconvert) with the tslab-xai kernel, in name order, writing the
 * executed .ipynb and an .html export to notebooks/.out/. Exits non-zero naming the notebook, the
 * cell and the error on any error output or timeout.
 *
 * With no filter and two or more cores, the course runs in two lanes at once (each notebook is
 * single-threaded): the text and speech notebooks ({@link SECOND_LANE}: they train their own
 * models) beside all the others; the homework runs after both, as it uses models of each.
 *
 * Homework notebooks (`notebooks/homework/`, or any `--dir` with a `solutions/` folder) run twice,
 * with the TODO stubs and with the solutions injected, and are judged by their self-checks (see
 * run_notebooks.py); their outputs go to `notebooks/.out/homework/NAME.stubs|solutions.html`.
 */
import { spawn } from 'child_process';
import * as os from 'os';
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
  /** Parallel lanes for the main notebooks (default 2 when the machine has 2+ cores and no filter is given; 1 = in order). */
  jobs?: number;
}

/** Notebooks of the second lane: they share no cached model with the first lane. */
export const SECOND_LANE = ['07', '08', '12'];

function runScript(py: string, args: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(py, args, { stdio: 'inherit', env: jupyterEnv(), cwd });
    child.on('error', (e) => {
      console.error(`tslab-xai: could not start ${py}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

/** Runs the notebooks; resolves to the process exit status (0 when all passed). */
export async function runNotebooks(options: RunOptions = {}): Promise<number> {
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
  const jobs = options.jobs ?? (options.filter || options.dir ? 1 : Math.min(2, os.cpus().length));
  // no match anywhere: let the script say so for the main folder, as before
  for (const g of chosen.length ? chosen : groups.slice(0, 1)) {
    const args = [script, g.dir, g.out, '--kernel', KERNEL_NAME, '--timeout', String(options.timeoutSeconds ?? 600)];
    if (options.filter) args.push('--filter', options.filter);
    if (g.homework) args.push('--homework');
    const lanes = !g.homework && jobs > 1 ? [[...args, '--skip', SECOND_LANE.join(',')], [...args, '--only', SECOND_LANE.join(',')]] : [args];
    const codes = await Promise.all(lanes.map((a) => runScript(py, a, g.dir)));
    status = Math.max(status, ...codes);
  }
  return status;
}
