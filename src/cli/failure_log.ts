/** One input that could not be processed. */
export interface FileFailure {
  /** The input file (as given or found). */
  path: string;
  /** Why, in one line. */
  reason: string;
}

/**
 * Collects per-file failures of a batch command so it can carry on, list them at the end
 * (`3 of 120 files failed:` + each path and reason) and exit with code 1 when any failed.
 */
export class FailureLog {
  private readonly items: FileFailure[] = [];

  /** Records that `path` failed; `error` may be an Error (its first message line is kept) or a reason. */
  add(path: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.items.push({ path, reason: message.split('\n')[0]!.trim() });
  }

  /** The failures so far, in order. */
  get failures(): readonly FileFailure[] {
    return this.items;
  }

  /** 1 when any file failed, else 0. */
  get exitCode(): 0 | 1 {
    return this.items.length > 0 ? 1 : 0;
  }

  /**
   * `3 of 120 files failed:` then one indented `path: reason` line each, or `''` when none failed.
   * @param total How many files were attempted.
   */
  summary(total: number, noun = 'files'): string {
    if (this.items.length === 0) return '';
    const lines = [`${this.items.length} of ${total} ${noun} failed:`];
    for (const { path, reason } of this.items) lines.push(`  ${path}: ${reason}`);
    return `${lines.join('\n')}\n`;
  }
}
