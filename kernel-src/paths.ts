/** Where the project lives, and where its Jupyter data (kernelspec) and notebook outputs go. */
import * as path from 'path';
import { packageRoot } from '../lib/packageRoot';

function findRoot(): string {
  const root = packageRoot();
  if (!root) throw new Error(`tslab-xai: cannot find the project root above ${__dirname}`);
  return root;
}

/** The repository root (the folder with tslab-xai's package.json). */
export const projectRoot = findRoot();
/** Project-local Jupyter data dir: `.jupyter-data/kernels/tslab-xai/kernel.json` lives here. */
export const jupyterDataDir = path.join(projectRoot, '.jupyter-data');
/** The course notebooks. */
export const notebooksDir = path.join(projectRoot, 'notebooks');
/** Homework notebooks (run twice: TODO stubs and solutions; see runner.ts). */
export const homeworkDir = path.join(notebooksDir, 'homework');
/** Executed notebooks and their HTML exports (git-ignored). */
export const outputDir = path.join(notebooksDir, '.out');
