import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/** Debian's chromium (apt), or CHROMIUM_PATH. scripts/test.mjs checks it exists before running. */
const chromium =
  process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/** Cross-origin isolation (SharedArrayBuffer) so the wasm backend can use its threaded build in the browser. */
const crossOriginIsolation: Plugin = {
  name: 'cross-origin-isolation',
  configureServer(server) {
    server.middlewares.use((_req, res, next) => {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      next();
    });
  },
};

const shared = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 120_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'node',
          environment: 'node',
          exclude: ['**/*.browser.test.ts'],
          // One fork per file: each file gets its own TF.js engine, and the 2-core CI machine is not oversubscribed.
          pool: 'forks',
          maxWorkers: 2,
          // Node first, then the browser: the two projects would otherwise fight over 2 cores.
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [crossOriginIsolation],
        optimizeDeps: {
          include: [
            '@tensorflow/tfjs-core',
            '@tensorflow/tfjs-layers',
            '@tensorflow/tfjs-data',
            '@tensorflow/tfjs-backend-cpu',
            '@tensorflow/tfjs-backend-webgl',
            '@tensorflow/tfjs-backend-webgpu',
            '@tensorflow/tfjs-backend-wasm',
            'h5wasm',
          ],
        },
        test: {
          ...shared,
          name: 'browser',
          exclude: ['**/*.node.test.ts'],
          sequence: { groupOrder: 1 },
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: {
                executablePath: chromium,
                args: [
                  '--no-sandbox',
                  '--enable-unsafe-webgpu',
                  '--enable-unsafe-swiftshader',
                  '--use-angle=swiftshader',
                  '--disable-background-networking',
                  '--disable-component-update',
                  '--disable-sync',
                  '--no-first-run',
                ],
              },
            }),
            instances: [{ browser: 'chromium' }],
            fileParallelism: false,
          },
        },
      },
    ],
  },
});
