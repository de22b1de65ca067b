#!/usr/bin/env node
// Writes the Pokémon/Digimon sprite dataset (see lib/data/sprites/generate.ts) without a notebook.
//
//   node scripts/generate-sprites.js [--variant story|watermark] [--per-class N] [--seed S] [--size PX] [--dir DIR]
//
// Needs dist/ (npm run build). Prints where the files went and how long it took.
const path = require('path');

const args = process.argv.slice(2);
const names = { '--variant': 'variant', '--per-class': 'perClass', '--seed': 'seed', '--size': 'size', '--dir': 'dir' };
const options = {};
for (let i = 0; i < args.length; i += 2) {
  const key = names[args[i]];
  if (!key || args[i + 1] === undefined) {
    console.error(`generate-sprites: unknown or incomplete option '${args[i]}' (options: ${Object.keys(names).join(', ')})`);
    process.exit(2);
  }
  options[key] = key === 'variant' || key === 'dir' ? args[i + 1] : Number(args[i + 1]);
}
let sprites;
try {
  sprites = require(path.join(__dirname, '..', 'dist', 'lib', 'data', 'sprites'));
} catch (e) {
  console.error(`generate-sprites: dist/ is missing or stale; run 'npm run build' first (${e.message.split('\n')[0]})`);
  process.exit(1);
}
sprites
  .generateSprites(options)
  .then((ds) => {
    const n = ds.manifest.files.length;
    const stamped = ds.manifest.files.filter((f) => f.watermark).length;
    console.log(`${n} images (${ds.manifest.variant}${stamped ? `, ${stamped} with the logo` : ''}) in ${ds.dir}, ${(ds.ms / 1000).toFixed(1)} s`);
  })
  .catch((e) => {
    console.error(e.message);
    process.exit(1);
  });
