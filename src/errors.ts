/**
 * Typed errors thrown by fundus-kit. Every error names the function or input at fault and what was
 * expected, and carries the offending value so callers can report it without parsing the message.
 *
 * @example
 * ```ts
 * try {
 *   await setupBackend({ prefer: 'webgpu' });
 * } catch (e) {
 *   if (e instanceof BackendError) console.log(e.backend, e.available);
 * }
 * ```
 */
export class FundusError extends Error {
  /** The value that caused the error, if any. */
  readonly value: unknown;

  constructor(message: string, options: { value?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.value = options.value;
  }
}

/** An argument has the wrong type or a value outside its allowed range. */
export class InvalidArgumentError extends FundusError {
  /** Name of the argument at fault, e.g. `"prefer"`. */
  readonly argument: string;

  constructor(argument: string, message: string, value?: unknown) {
    super(message, { value });
    this.argument = argument;
  }
}

/** A tensor has the wrong rank, shape or dtype. */
export class ShapeError extends FundusError {
  /** Shape that was received. */
  readonly shape: readonly number[];

  constructor(message: string, shape: readonly number[]) {
    super(message, { value: shape });
    this.shape = shape;
  }
}

/** An image could not be decoded (corrupt, truncated, empty or not an image). */
export class ImageDecodeError extends FundusError {
  /** Path, URL or a description of the source that failed. */
  readonly source: string;

  constructor(source: string, message: string, cause?: unknown) {
    super(message, { value: source, cause });
    this.source = source;
  }
}

/** An architecture name is not in the registry. */
export class UnknownArchitectureError extends FundusError {
  /** The valid names. */
  readonly available: readonly string[];

  constructor(name: string, available: readonly string[]) {
    super(`Unknown architecture '${name}'. Valid names: ${available.join(', ')}.`, { value: name });
    this.available = available;
  }
}

/** A TF.js backend was asked for that is not installed, or failed to initialise. */
export class BackendError extends FundusError {
  /** The backend that was asked for. */
  readonly backend: string;
  /** Backends that are installed and could be used instead. */
  readonly available: readonly string[];

  constructor(backend: string, message: string, available: readonly string[], cause?: unknown) {
    super(message, { value: backend, cause });
    this.backend = backend;
    this.available = available;
  }
}

/**
 * The wasm backend could not allocate a tensor: its heap (WebAssembly 32-bit memory) has a hard 4 GiB limit.
 * Without this check TF.js would place the tensor at address 0 and silently overwrite the heap.
 */
export class BackendMemoryError extends BackendError {
  /** Bytes that were asked for. */
  readonly requestedBytes: number;
  /** Size of the heap when the allocation failed, in bytes. */
  readonly heapBytes: number;

  constructor(backend: string, requestedBytes: number, heapBytes: number) {
    const mb = (v: number) => (v / 2 ** 20).toFixed(1);
    super(
      backend,
      `${backend} backend: out of memory: could not allocate ${mb(requestedBytes)} MiB ` +
        `(heap ${mb(heapBytes)} MiB, limit 4096 MiB). Use a smaller batch or input size.`,
      [],
    );
    this.requestedBytes = requestedBytes;
    this.heapBytes = heapBytes;
  }
}
