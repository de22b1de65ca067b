/** Where the project lives, and where its Jupyter data (kernelspec) and notebook outputs go. */
import * as fs from 'fs';
import * as path from 'path';

function findRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj) && JSON.parse(fs.readFileSync(pj, 'utf8')).name === 'tslab-xai') return dir;
    dir = path.dirname(dir);
  }
  throw new Error(`tslab-xai: cannot find the project root above ${__dirname}`);
}

/** The repository root (the folder with tslab-xai's package.json). */
export const projectRoot = findRoot();
/** Project-local Jupyter data dir: `.jupyter-data/kernels/tslab-xai/kernel.json` lives here. */
export const jupyterDataDir = path.join(projectRoot, '.jupyter-data');
/** The course notebooks. */
export const notebooksDir = path.join(projectRoot, 'notebooks');
/** Executed notebooks and their HTML exports (git-ignored). */
export const outputDir = path.join(notebooksDir, '.out');
