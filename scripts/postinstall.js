#!/usr/bin/env node
// Runs after `npm install` / `npm ci` in this repository:
// 1. links node_modules/tslab-xai -> the project root, so notebooks import the library by its
//    package name (`import * as xai from 'tslab-xai'`) exactly as a user's own notebook would;
// 2. builds dist/ when the TypeScript compiler is present (it is a devDependency).
// The Jupyter kernelspec is written by `npm run kernel:install` (also done by `npm start`,
// `npm run notebooks` and `npm test`), because it needs dist/.
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'tslab-xai');
if (!process.env.INIT_CWD || path.resolve(process.env.INIT_CWD) === root) {
  try {
    const st = fs.lstatSync(link, { throwIfNoEntry: false });
    if (!st) fs.symlinkSync('..', link, 'dir');
  } catch (e) {
    console.warn(`tslab-xai: could not link node_modules/tslab-xai (${e.message})`);
  }
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (fs.existsSync(tsc)) {
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
