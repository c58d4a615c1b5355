import type { FovBox } from '../../preprocess/fov/fov_box.js';
import type { FovCircle } from '../../preprocess/fov/fov_input.js';
import type { FundusPipelineArgs } from '../../preprocess/fundus_pipeline.js';

/** What a `preparePhotos` worker starts with. */
export interface PrepareWorkerData {
  pipeline: FundusPipelineArgs;
  backend: 'wasm' | 'cpu';
}

/** One photo to prepare. */
export interface PrepareJob {
  id: number;
  source: string;
  maxPixels: number | undefined;
}

/** The prepared photo (its pixels transferred), or why it failed. */
export type PrepareReply =
  | {
      id: number;
      ok: true;
      data: Float32Array;
      shape: [number, number, number];
      circle: FovCircle | null;
      box: FovBox | null;
      originalSize: [number, number];
    }
  | { id: number; ok: false; name: string; message: string };

/** The worker's first message: its backend is set up, or the reason it could not be. */
export type PrepareReady = { ready: true } | { ready: false; message: string };
