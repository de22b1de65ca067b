/**
 * Where the tslab-xai package lives: the nearest folder above this file whose package.json is
 * named `tslab-xai` (the repository, or `node_modules/tslab-xai` when installed). Generated data
 * (`data/generated/…`) and the notebook runner's files are found from here.
 *
 * @example
 * ```ts
 * path.join(packageRoot() ?? process.cwd(), 'data', 'generated');
 * ```
 */
import * as fs from 'fs';
import * as path from 'path';

let root: string | null | undefined;

/** The package folder, or undefined when this file is not inside a tslab-xai package. */
export function packageRoot(): string | undefined {
  if (root === undefined) {
    root = null;
    for (let d = __dirname; ; d = path.dirname(d)) {
      const pkg = path.join(d, 'package.json');
      if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'tslab-xai') {
        root = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
  }
  return root ?? undefined;
}

/**
 * `data/generated` of the project, or `$XAI_DATA_DIR` when set: where cached models and generated
 * datasets live (see data/README.md).
 *
 * @example
 * ```ts
 * path.join(generatedDir(), 'course-cnn');
 * ```
 */
export function generatedDir(): string {
  return process.env.XAI_DATA_DIR ?? path.join(packageRoot() ?? process.cwd(), 'data', 'generated');
}
