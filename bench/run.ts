/**
 * `npm run bench`: one JSON line per workload, `{"name", "ms", "backend", …extra}`, `ms` the best of
 * the workload's repetitions. First the three workloads of `bench/reference/reference_cnn.py`
 * (see `referenceCnn.ts`), then every module in `bench/workloads/` that exports `workloads`.
 *
 *   node dist/bench/run.js                        all workloads
 *   node dist/bench/run.js --only cnn-train,ig-50x20
 */
import * as fs from 'fs';
import * as path from 'path';
import { ready } from '../lib/engine';
import { referenceWorkloads } from './referenceCnn';
import type { Workload } from './workload';

/** Workloads exported by the compiled modules in `dir` (`workloads: Workload[]`), in file-name order. */
export function discoverWorkloads(dir: string): Workload[] {
  if (!fs.existsSync(dir)) return [];
  const found: Workload[] = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const mod = require(path.join(dir, file)) as { workloads?: Workload[] };
    if (!Array.isArray(mod.workloads)) continue;
    for (const w of mod.workloads) {
      if (typeof w?.name !== 'string' || typeof w.run !== 'function') throw new Error(`bench: ${file} exports a workload without a name and a run() function`);
      found.push(w);
    }
  }
  return found;
}

/** The names after `--only` (comma-separated; the flag may repeat), or undefined for all. */
export function onlyNames(argv: string[]): string[] | undefined {
  const names: string[] = [];
  let seen = false;
  argv.forEach((a, i) => {
    if (a === '--only' || a.startsWith('--only=')) {
      seen = true;
      const v = a === '--only' ? argv[i + 1] : a.slice('--only='.length);
      if (!v || v.startsWith('--')) throw new Error('bench: --only needs a comma-separated list of workload names');
      names.push(...v.split(',').map((s) => s.trim()).filter(Boolean));
    }
  });
  return seen ? names : undefined;
}

/** Runs `w` (setup once, then `reps` timed runs) and returns the best time in ms. */
export async function timeWorkload(w: Workload): Promise<number> {
  const reps = w.reps ?? 3;
  if (!Number.isInteger(reps) || reps < 1) throw new Error(`bench: workload ${w.name} has reps ${reps}; expected a positive integer`);
  await w.setup?.();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await w.run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

async function main(): Promise<void> {
  const info = await ready({ verbose: false });
  const all = [...referenceWorkloads, ...discoverWorkloads(path.join(__dirname, 'workloads'))];
  const only = onlyNames(process.argv.slice(2));
  const known = new Set(all.map((w) => w.name));
  const unknown = (only ?? []).filter((n) => !known.has(n));
  if (unknown.length) throw new Error(`bench: no workload named ${unknown.join(', ')}; known: ${[...known].join(', ')}`);
  const backend = info.backend === 'wasm' ? `tfjs-wasm${info.simd ? '-simd' : ''}` : `tfjs-${info.backend}`;
  for (const w of all.filter((x) => !only || only.includes(x.name))) {
    const ms = await timeWorkload(w);
    console.log(JSON.stringify({ name: w.name, ms: Math.round(ms * 10) / 10, backend, ...w.extra?.() }));
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
