import type { BackendName } from '../backend/backend_names.js';
import { type BackendInfo, setupBackend } from '../backend/setup_backend.js';
import type { ParsedArgs } from './args_parser.js';

/** Sets up the backend `--backend` names (`auto`: the fastest installed). */
export function startBackend(args: ParsedArgs): Promise<BackendInfo> {
  const backend = args.string('backend')!;
  return setupBackend(backend === 'auto' ? {} : { prefer: backend as BackendName });
}
