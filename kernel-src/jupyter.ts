/** Finds a Python that has Jupyter's notebook runner (nbclient, nbconvert) or says what to install. */
import { spawnSync } from 'child_process';

/** The one message shown when Jupyter is missing. */
export const JUPYTER_MISSING =
  'tslab-xai: Jupyter was not found. Install it, then run the command again:\n' +
  '  Debian/Ubuntu: sudo apt-get install jupyter-notebook python3-nbclient jupyter-nbconvert\n' +
  '  elsewhere:     pip install notebook nbclient nbconvert';

/** A python executable that can `import nbclient, nbconvert, notebook` (Debian's first), or undefined. */
export function findJupyterPython(modules = ['nbclient', 'nbconvert']): string | undefined {
  // TSLAB_XAI_PYTHON, when set, is the only candidate (a user's own venv; tests)
  const env = process.env.TSLAB_XAI_PYTHON;
  const candidates = env ? [env] : ['/usr/bin/python3', 'python3', 'python'];
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}
