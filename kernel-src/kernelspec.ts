/**
 * Registers the Jupyter kernelspec `tslab-xai`: the project's own tslab from node_modules (through
 * `kernel.ts`, which starts it), run by the same Node that runs this command. No global npm install, no sudo: by default the spec goes
 * into the project (`.jupyter-data/kernels/tslab-xai`, found through `JUPYTER_PATH`, which
 * `npm start` and `npm run notebooks` set); `--user` also installs it for the current user so a
 * plain `jupyter notebook` started elsewhere lists it. On a shared server `--prefix DIR` writes it
 * to `DIR/share/jupyter/kernels/tslab-xai` (as `jupyter kernelspec install --prefix` does: `--prefix
 * /usr/local` for every user of the machine, `--prefix "$CONDA_PREFIX"` for one environment).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { jupyterDataDir, projectRoot } from './paths';

/** The kernel name notebooks refer to in their metadata. */
export const KERNEL_NAME = 'tslab-xai';

/** The kernel.json content. */
export function kernelSpec(): { argv: string[]; display_name: string; language: string; env: Record<string, string> } {
  // tslab sits in the project's node_modules, or above it when tslab-xai is itself a dependency
  try {
    require.resolve('tslab/bin/tslab', { paths: [projectRoot] });
  } catch {
    throw new Error(`tslab-xai: tslab is missing (node_modules/tslab/bin/tslab); run npm install in ${projectRoot}`);
  }
  const kernel = path.join(projectRoot, 'dist', 'kernel-src', 'kernel.js');
  if (!fs.existsSync(kernel)) throw new Error(`tslab-xai: ${kernel} is missing; run npm run build in ${projectRoot}`);
  return {
    argv: [process.execPath, kernel, '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab-xai)',
    language: 'typescript',
    env: { TSLAB_XAI_KERNEL: '1' },
  };
}

function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share'), 'jupyter');
}

/**
 * Writes the kernelspec; returns the folders written.
 * @param options - `user: true` also installs into the user's Jupyter data dir; `prefix` writes it
 *   to `prefix/share/jupyter/kernels/tslab-xai` instead of the project-local folder.
 * @example
 * ```ts
 * installKernel({ prefix: '/usr/local' });   // → /usr/local/share/jupyter/kernels/tslab-xai/kernel.json
 * ```
 */
export function installKernel(options: { user?: boolean; prefix?: string } = {}): string[] {
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || options.prefix === '')) {
    throw new Error(`installKernel: options.prefix must be a folder; got ${JSON.stringify(options.prefix)}`);
  }
  const spec = JSON.stringify(kernelSpec(), null, 2) + '\n';
  const dirs = [options.prefix ? path.join(path.resolve(options.prefix), 'share', 'jupyter', 'kernels', KERNEL_NAME) : path.join(jupyterDataDir, 'kernels', KERNEL_NAME)];
  if (options.user) dirs.push(path.join(userDataDir(), 'kernels', KERNEL_NAME));
  for (const d of dirs) {
    fs.mkdirSync(d, { recursive: true });
    const tmp = path.join(d, `kernel.json.${process.pid}.tmp`);
    fs.writeFileSync(tmp, spec);
    fs.renameSync(tmp, path.join(d, 'kernel.json'));
  }
  return dirs;
}

/** Environment for Jupyter processes so that they find the project-local kernelspec. */
export function jupyterEnv(): NodeJS.ProcessEnv {
  const prev = process.env.JUPYTER_PATH;
  return { ...process.env, JUPYTER_PATH: prev ? `${jupyterDataDir}${path.delimiter}${prev}` : jupyterDataDir };
}
