/**
 * The worker thread of `preparePhotos`: its own TF.js on the backend it is given, decoding and preparing one
 * photo per message and sending the prepared pixels back (transferred, not copied). Messages are typed in
 * prepare_messages.ts. Not part of the public surface: `preparePhotos` starts it.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { setupBackend } from '../../backend/setup_backend.js';
import { readImage } from '../../io/node/read_image.js';
import { fundusPipeline } from '../../preprocess/fundus_pipeline.js';
import type { PrepareJob, PrepareReply, PrepareWorkerData } from './prepare_messages.js';

// No top-level await: the file is also built as CommonJS.
void start(parentPort);

async function start(port: MessagePort | null): Promise<void> {
  if (port === null)
    throw new Error('prepare_worker: must run as a worker thread (started by preparePhotos).');
  const { pipeline, backend } = workerData as PrepareWorkerData;
  try {
    await setupBackend({ prefer: backend });
    const prepare = fundusPipeline(pipeline);
    port.on('message', (job: PrepareJob) => {
      void run(job, prepare).then((reply) => {
        port.postMessage(reply, reply.ok ? [reply.data.buffer as ArrayBuffer] : []);
      });
    });
    port.postMessage({ ready: true });
  } catch (e) {
    port.postMessage({ ready: false, message: e instanceof Error ? e.message : String(e) });
  }
}

async function run(job: PrepareJob, prepare: ReturnType<typeof fundusPipeline>): Promise<PrepareReply> {
  try {
    const photo = await readImage(job.source, { maxPixels: job.maxPixels });
    try {
      const { image, circle, box, originalSize } = await prepare(photo);
      const data = (await image.data()) as Float32Array;
      image.dispose();
      return { id: job.id, ok: true, data, shape: image.shape, circle, box, originalSize };
    } finally {
      photo.dispose();
    }
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    return { id: job.id, ok: false, name: error.name, message: error.message };
  }
}
