import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { findJupyterPython } from '../kernel-src/jupyter';
import { installKernel, jupyterEnv, kernelSpec } from '../kernel-src/kernelspec';
import { projectRoot } from '../kernel-src/paths';

const cli = path.join(projectRoot, 'dist', 'kernel-src', 'cli.js');
const fixtures = path.join(projectRoot, 'test', 'fixtures', 'notebooks');

/** A scratch copy of the fixture notebooks inside the project (so `tslab-xai` resolves). */
function scratch(names: string[]): string {
  const dir = fs.mkdtempSync(path.join(projectRoot, 'test', 'fixtures', '.run-'));
  for (const n of names) fs.copyFileSync(path.join(fixtures, n), path.join(dir, n));
  return dir;
}

type Output = { output_type: string; data?: Record<string, unknown>; text?: string | string[]; name?: string };
const outputsOf = (file: string): Output[][] =>
  (JSON.parse(fs.readFileSync(file, 'utf8')).cells as { outputs?: Output[] }[]).map((c) => c.outputs ?? []);

describe('kernel-src', function () {
  this.timeout(180000);
  const py = findJupyterPython();
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('writes a project-local kernelspec that runs the project tslab with this Node', () => {
    const [dir] = installKernel();
    assert.strictEqual(dir, path.join(projectRoot, '.jupyter-data', 'kernels', 'tslab-xai'));
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8'));
    assert.deepStrictEqual(spec, kernelSpec());
    assert.strictEqual(spec.argv[0], process.execPath);
    assert.strictEqual(spec.argv[1], path.join(projectRoot, 'dist', 'kernel-src', 'kernel.js'));
    assert.ok(fs.existsSync(spec.argv[1]));
    assert.ok(fs.readFileSync(spec.argv[1], 'utf8').includes("require('tslab/dist/main').main()"));
    assert.ok(jupyterEnv().JUPYTER_PATH?.split(path.delimiter).includes(path.join(projectRoot, '.jupyter-data')));
  });

  it('stops with one message naming what to install when Jupyter is missing, writing nothing', () => {
    const dir = scratch(['a-display.ipynb']);
    dirs.push(dir);
    const r = spawnSync(process.execPath, [cli, 'run', '--dir', dir], { encoding: 'utf8', env: { ...process.env, TSLAB_XAI_PYTHON: path.join(os.tmpdir(), 'no-such-python') } });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /Jupyter was not found/);
    assert.match(r.stderr, /apt-get install jupyter-notebook python3-nbclient jupyter-nbconvert/);
    assert.ok(!fs.existsSync(path.join(dir, '.out')), 'no output folder may be written');
  });

  it('executes a notebook headless: one output carries several MIME types; a progress bar updates in place', function () {
    if (!py) this.skip();
    const dir = scratch(['a-display.ipynb']);
    dirs.push(dir);
    const r = spawnSync(process.execPath, [cli, 'run', '--dir', dir, '--timeout', '120'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /notebooks: 1 passed, 0 failed/);
    const outs = outputsOf(path.join(dir, '.out', 'a-display.ipynb'));
    const bars = outs[1].filter((o) => o.output_type === 'display_data');
    assert.strictEqual(bars.length, 1, 'the progress bar is one output, updated in place');
    assert.match(String(bars[0].data?.['text/plain']), /demo 4\/4/);
    const fig = outs[2].filter((o) => o.output_type === 'display_data');
    assert.strictEqual(fig.length, 1);
    assert.deepStrictEqual(Object.keys(fig[0].data ?? {}).sort(), ['image/svg+xml', 'text/html', 'text/plain']);
    assert.ok(fs.statSync(path.join(dir, '.out', 'a-display.html')).size > 1000, 'an HTML export is written');
  });

  it('fails naming the notebook, the cell and the error when a cell throws', function () {
    if (!py) this.skip();
    const dir = scratch(['a-display.ipynb', 'b-error.ipynb']);
    dirs.push(dir);
    const r = spawnSync(process.execPath, [cli, 'run', '--dir', dir, '--timeout', '120'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 1);
    assert.match(r.stdout, /FAIL  b-error\.ipynb .* cell 1: throw new Error\('boom in cell 1'\)/);
    assert.match(r.stdout, /Error: boom in cell 1/);
    assert.match(r.stdout, /notebooks: 1 passed, 1 failed/);
  });

  it('keeps the kernel running after a throwing cell when run interactively (errors allowed)', function () {
    if (!py) this.skip();
    const dir = scratch(['b-error.ipynb']);
    dirs.push(dir);
    const code = [
      'import nbformat, sys',
      'from nbclient import NotebookClient',
      'nb = nbformat.read(sys.argv[1], as_version=4)',
      "NotebookClient(nb, kernel_name='tslab-xai', allow_errors=True, timeout=60, resources={'metadata': {'path': sys.argv[2]}}).execute()",
      "print(''.join(o.get('text', '') for o in nb.cells[2].outputs))",
    ].join('\n');
    const r = spawnSync(py as string, ['-c', code, path.join(dir, 'b-error.ipynb'), dir], { encoding: 'utf8', env: jupyterEnv() });
    assert.strictEqual(r.status, 0, r.stderr);
    assert.match(r.stdout, /after the error/);
  });
});
