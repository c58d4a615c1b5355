import { defineConfig } from 'tsup';

// One platform-neutral entry: nothing in src/ imports Node built-ins at the top level, so the same
// files serve Node and browser bundlers. Peer packages stay external so the user's single tfjs
// instance is the one we register kernels into.
export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  treeshake: true,
  external: [/^@tensorflow\//],
});
