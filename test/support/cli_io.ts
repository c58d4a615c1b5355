/** Output streams for `runCli` in tests: they collect what a command writes (not a TTY, so no redrawn bars). */
export function captureCliOutput() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: { write: (t: string) => out.push(t), isTTY: false },
    stderr: { write: (t: string) => err.push(t), isTTY: false },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}
