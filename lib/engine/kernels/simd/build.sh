#!/bin/sh
# Rebuilds simdBinary.ts from the .c files here (simd.h describes the module). Needs clang (wasm32 target) and wasm-ld:
#   Debian/Ubuntu: apt-get install clang lld
# The generated file is committed, so installing and running tslab-xai never needs clang.
set -e
cd "$(dirname "$0")"
clang --target=wasm32 -O3 -msimd128 -mbulk-memory -nostdlib -fno-builtin \
  -Wl,--no-entry -Wl,--import-memory -Wl,-z,stack-size=0 -Wl,--global-base=0 -Wl,--strip-all \
  -o /tmp/tslab-xai-kernels.wasm convolution.c winograd.c filterGradient.c pooling.c elementwise.c gemm.c activation.c lstm.c
node -e '
const fs = require("fs");
const b = fs.readFileSync("/tmp/tslab-xai-kernels.wasm");
const m = new WebAssembly.Module(b);
const imports = WebAssembly.Module.imports(m).map((i) => i.module + "." + i.name);
if (imports.join() !== "env.memory") throw new Error("kernels.wasm must import only env.memory, got " + imports);
fs.writeFileSync("simdBinary.ts",
  "/** kernels.c compiled by build.sh (clang -O3 -msimd128). Generated: do not edit. */\n" +
  "export const simdBinary = \"" + b.toString("base64") + "\";\n");
console.log("simdBinary.ts: " + b.length + " bytes of wasm, exports " + WebAssembly.Module.exports(m).map((e) => e.name).join(", "));
'
