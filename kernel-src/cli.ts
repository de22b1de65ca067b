#!/usr/bin/env node
/**
 * tslab-xai's command line (behind the npm scripts):
 *   install-kernel [--user] [--prefix DIR]   write the `tslab-xai` kernelspec (project-local; --user also
 *                             for you; --prefix DIR into DIR/share/jupyter/kernels for a shared server)
 *   start                     open Jupyter Notebook on notebooks/ with the tslab-xai kernel
 *   run [FILTER] [--timeout S] [--dir D]  execute the notebooks headless (see runner.ts)
 *   train-models              train (or load) every cached course model, two at a time (see trainModels.ts)
 */
import { spawn } from 'child_process';
import { findJupyterPython, JUPYTER_MISSING } from './jupyter';
import { installKernel, jupyterEnv } from './kernelspec';
import { notebooksDir } from './paths';
import { runNotebooks } from './runner';
import { trainLane, trainModels } from './trainModels';

function main(argv: string[]): void {
  const [cmd, ...rest] = argv;
  if (cmd === 'install-kernel') {
    const at = rest.indexOf('--prefix');
    if (at >= 0 && !rest[at + 1]) {
      console.error('tslab-xai install-kernel: --prefix needs a folder (e.g. --prefix /usr/local)');
      process.exit(2);
    }
    const dirs = installKernel({ user: rest.includes('--user'), prefix: at >= 0 ? rest[at + 1] : undefined });
    for (const d of dirs) console.log(`tslab-xai: kernelspec written to ${d}`);
    return;
  }
  if (cmd === 'train-models') {
    const at = rest.indexOf('--lane');
    const lane = at >= 0 ? rest[at + 1] : undefined;
    if (lane !== undefined && lane !== 'a' && lane !== 'b') {
      console.error(`tslab-xai train-models: --lane must be a or b; got ${lane}`);
      process.exit(2);
    }
    const done = lane ? trainLane(lane).then(() => 0) : trainModels();
    done.then(
      (code) => process.exit(code),
      (e: Error) => {
        console.error(`tslab-xai train-models: ${e.message}`);
        process.exit(1);
      },
    );
    return;
  }
  if (cmd === 'run') {
    let filter: string | undefined;
    let timeoutSeconds: number | undefined;
    let dir: string | undefined;
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--timeout') timeoutSeconds = Number(rest[++i]);
      else if (rest[i] === '--dir') dir = rest[++i];
      else filter = rest[i];
    }
    if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) {
      console.error('tslab-xai run: --timeout must be a positive number of seconds');
      process.exit(2);
    }
    runNotebooks({ filter, timeoutSeconds, dir }).then((code) => process.exit(code));
    return;
  }
  if (cmd === 'start') {
    const py = findJupyterPython(['notebook']);
    if (!py) {
      console.error(JUPYTER_MISSING);
      process.exit(2);
    }
    installKernel();
    // Jupyter refuses to run as root without --allow-root (containers, CI machines)
    const root = typeof process.getuid === 'function' && process.getuid() === 0 ? ['--allow-root'] : [];
    const child = spawn(py, ['-m', 'notebook', `--notebook-dir=${notebooksDir}`, ...root, ...rest], { stdio: 'inherit', env: jupyterEnv() });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.error('usage: cli.js install-kernel [--user] [--prefix DIR] | start [jupyter args] | run [FILTER] [--timeout SECONDS] [--dir FOLDER] | train-models');
  process.exit(2);
}

main(process.argv.slice(2));
