/**
 * The course recipe's install steps (binder/postBuild, which the Dockerfile and repo2docker run),
 * executed in a fresh copy of the repository with the kernel installed under a temporary prefix:
 * kernel.json must land in PREFIX/share/jupyter/kernels/tslab-xai, point at the copy's kernel, and a
 * Jupyter client that looks only there must start that kernel and run a cell. `npm ci` is skipped
 * (no network here: the copy links the installed node_modules) and so is the course-model warm-up.
 */
import * as assert from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectRoot } from '../kernel-src/paths';

describe('teaching: the container recipe installs the kernel under a prefix', function () {
  this.timeout(240000);
  let fresh: string;
  let prefix: string;
  before(() => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tslab-xai-recipe-'));
    fresh = path.join(tmp, 'course');
    prefix = path.join(tmp, 'prefix');
    // the repository as committed or staged (what a Docker build context or a clone holds)
    const files = execFileSync('git', ['ls-files', '-z', '--cached'], { cwd: projectRoot }).toString().split('\0').filter(Boolean);
    for (const f of files) {
      const src = path.join(projectRoot, f);
      if (!fs.existsSync(src)) continue;
      fs.mkdirSync(path.dirname(path.join(fresh, f)), { recursive: true });
      fs.copyFileSync(src, path.join(fresh, f));
    }
    fs.symlinkSync(fs.realpathSync(path.join(projectRoot, 'node_modules')), path.join(fresh, 'node_modules'), 'dir');
  });
  after(() => fs.rmSync(path.dirname(fresh), { recursive: true, force: true }));

  it('binder/postBuild builds, writes PREFIX/share/jupyter/kernels/tslab-xai/kernel.json, and Jupyter starts that kernel', () => {
    const r = spawnSync('bash', [path.join(fresh, 'binder', 'postBuild')], {
      cwd: fresh,
      env: { ...process.env, TSLAB_XAI_KERNEL_PREFIX: prefix, TSLAB_XAI_SKIP_NPM_CI: '1', TSLAB_XAI_SKIP_WARM: '1' },
      encoding: 'utf8',
    });
    assert.strictEqual(r.status, 0, `postBuild failed:\n${r.stdout}\n${r.stderr}`);
    const specFile = path.join(prefix, 'share', 'jupyter', 'kernels', 'tslab-xai', 'kernel.json');
    const spec = JSON.parse(fs.readFileSync(specFile, 'utf8'));
    assert.strictEqual(spec.argv[1], path.join(fresh, 'dist', 'kernel-src', 'kernel.js'));
    assert.ok(fs.existsSync(spec.argv[1]), 'the kernel script the spec names exists');
    assert.deepStrictEqual(spec.argv.slice(2), ['--config-path', '{connection_file}']);
    assert.strictEqual(spec.language, 'typescript');
    // a Jupyter that looks only under the prefix finds the kernel, starts it and runs a cell
    const py = `
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel
specs = KernelSpecManager().find_kernel_specs()
km, kc = start_new_kernel(kernel_name='tslab-xai', startup_timeout=120)
try:
    reply = kc.execute_interactive('const answer: number = 6 * 7; answer', timeout=120, output_hook=lambda m: print(json.dumps(m['content'])))
    print(json.dumps({'specs': specs, 'status': reply['content']['status']}))
finally:
    kc.stop_channels(); km.shutdown_kernel(now=True)
`;
    const j = spawnSync('/usr/bin/python3', ['-c', py], {
      cwd: fresh,
      env: { ...process.env, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: path.join(prefix, 'user-data') },
      encoding: 'utf8',
      timeout: 180000,
    });
    assert.strictEqual(j.status, 0, `jupyter_client failed:\n${j.stdout}\n${j.stderr}`);
    const last = JSON.parse(j.stdout.trim().split('\n').at(-1)!);
    assert.strictEqual(last.specs['tslab-xai'], path.dirname(specFile));
    assert.strictEqual(last.status, 'ok');
    assert.match(j.stdout, /"text": "42\\n"/);
  });

  it('install-kernel --prefix without a folder is refused, naming the option', () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'kernel-src', 'cli.js'), 'install-kernel', '--prefix'], { encoding: 'utf8' });
    assert.strictEqual(r.status, 2);
    assert.match(r.stderr, /--prefix needs a folder/);
  });
});
