/** A cleanup to run on Ctrl-C: remove a partial file, a temporary folder. May be async. */
export type Cleanup = () => void | Promise<void>;

/** Arguments of {@link InterruptGuard}. */
export interface InterruptGuardArgs {
  /** Ends the process (tests pass a fake). @defaultValue `process.exit` */
  exit?: (code: number) => void;
  /** Where the notice is written. @defaultValue `process.stderr` */
  stderr?: { write(text: string): unknown };
  /**
   * A second signal this soon after the first is the same Ctrl-C relayed by a wrapper (`npx`, `npm run`,
   * `tsx` forward the terminal's SIGINT to a child that already got it from the terminal) and is ignored.
   * @defaultValue 1000
   */
  echoMs?: number;
  /** Clock in milliseconds (tests pass a fake one). @defaultValue `performance.now` */
  now?: () => number;
}

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;

/**
 * Ctrl-C (SIGINT) handling for CLI commands: a command registers cleanups for what it has half done (a file
 * being written, a model being saved to a temporary folder), and on Ctrl-C they run, newest first, before the
 * process exits with code 130. A second Ctrl-C while they run exits at once.
 *
 * @example
 * ```ts
 * const release = guard.register(() => rm(tmpDir, { recursive: true, force: true }));
 * await saveModel(tmpDir);
 * await rename(tmpDir, finalDir); // only a finished model gets the final name
 * release();
 * ```
 */
export class InterruptGuard {
  private readonly cleanups: Cleanup[] = [];
  private readonly exit: (code: number) => void;
  private readonly stderr: { write(text: string): unknown };
  private readonly echoMs: number;
  private readonly now: () => number;
  private startedAt = 0;
  private running = false;
  private readonly listener = (): void => {
    void this.trigger();
  };

  constructor(args: InterruptGuardArgs = {}) {
    this.exit = args.exit ?? ((code) => process.exit(code));
    this.stderr = args.stderr ?? process.stderr;
    this.echoMs = args.echoMs ?? 1000;
    this.now = args.now ?? (() => performance.now());
  }

  /** Adds a cleanup; call the returned function once the work it guards is finished (or undone). */
  register(cleanup: Cleanup): () => void {
    this.cleanups.push(cleanup);
    return () => {
      const at = this.cleanups.lastIndexOf(cleanup);
      if (at !== -1) this.cleanups.splice(at, 1);
    };
  }

  /** Number of registered cleanups. */
  get pending(): number {
    return this.cleanups.length;
  }

  /** Listens for SIGINT (and SIGTERM) on `process`. */
  install(): void {
    process.on('SIGINT', this.listener);
    process.on('SIGTERM', this.listener);
  }

  /** Stops listening. */
  uninstall(): void {
    process.off('SIGINT', this.listener);
    process.off('SIGTERM', this.listener);
  }

  /**
   * What a Ctrl-C does: run the cleanups newest first (each failure reported, none skipped), then exit 130. A
   * second Ctrl-C (after `echoMs`) exits at once.
   */
  async trigger(): Promise<void> {
    if (this.running) {
      if (this.now() - this.startedAt < this.echoMs) return;
      this.stderr.write('\nInterrupted again: exiting without finishing the cleanup.\n');
      this.exit(INTERRUPTED_EXIT_CODE);
      return;
    }
    this.running = true;
    this.startedAt = this.now();
    this.stderr.write('\nInterrupted: cleaning up (Ctrl-C again to exit at once)…\n');
    while (this.cleanups.length > 0) {
      const cleanup = this.cleanups.pop()!;
      try {
        await cleanup();
      } catch (e) {
        this.stderr.write(`Cleanup failed: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    this.exit(INTERRUPTED_EXIT_CODE);
  }
}
