import { defineConfig } from 'tsup';

// Entries: `index` for browsers and bundlers (no Node built-ins anywhere in its graph) and
// `index.node` (package.json's `node` condition), which adds file/buffer image I/O through fs and sharp;
// `cli` is the `fundus-kit` command (package.json's `bin`); `prepare_worker` is the worker thread
// `preparePhotos` starts (found beside the entry through import.meta.url, which `shims` provides in CommonJS).
// Peer packages stay external so the user's single tfjs instance is the one we register kernels into.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'index.node': 'src/index.node.ts',
    cli: 'src/cli/main.ts',
    prepare_worker: 'src/data/node/prepare_worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  // Class names survive bundling (the CommonJS build otherwise emits anonymous classes: an error's `name` was '').
  keepNames: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  external: [/^@tensorflow\//, /^node:/, 'sharp', /^h5wasm/],
});
