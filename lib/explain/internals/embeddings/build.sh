#!/bin/sh
# Rebuilds tsneBinary.ts from tsne.c (the Barnes-Hut t-SNE iterations) and lanczos.c (a Lanczos step for PCA). Needs clang (wasm32 target) and wasm-ld:
#   Debian/Ubuntu: apt-get install clang lld
# The generated file is committed, so installing and running tslab-xai never needs clang.
# Unlike lib/engine/kernels/simd, this module owns its memory (exported as "memory", grown by tsneWasm.ts).
set -e
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -nostdlib -fno-builtin \
  -Wl,--no-entry -Wl,--export=__heap_base -Wl,-z,stack-size=65536 -Wl,--strip-all \
  -o /tmp/tslab-xai-tsne.wasm tsne.c lanczos.c
node -e '
const fs = require("fs");
const b = fs.readFileSync("/tmp/tslab-xai-tsne.wasm");
const m = new WebAssembly.Module(b);
const imports = WebAssembly.Module.imports(m);
if (imports.length) throw new Error("tsne.wasm must import nothing, got " + imports.map((i) => i.module + "." + i.name));
fs.writeFileSync("tsneBinary.ts",
  "/** tsne.c and lanczos.c compiled by build.sh (clang -O3 -msimd128). Generated: do not edit. */\n" +
  "export const tsneBinary = \"" + b.toString("base64") + "\";\n");
console.log("tsneBinary.ts: " + b.length + " bytes of wasm, exports " + WebAssembly.Module.exports(m).map((e) => e.name).join(", "));
'
