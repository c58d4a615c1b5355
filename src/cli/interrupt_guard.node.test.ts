import { describe, expect, it } from 'vitest';
import { INTERRUPTED_EXIT_CODE, InterruptGuard } from './interrupt_guard.js';

function guard() {
  const exits: number[] = [];
  const messages: string[] = [];
  const clock = { ms: 0 };
  const g = new InterruptGuard({
    exit: (code) => exits.push(code),
    stderr: { write: (t: string) => messages.push(t) },
    now: () => clock.ms,
  });
  return { g, exits, messages, clock };
}

describe('InterruptGuard', () => {
  it('runs the registered cleanups newest first, awaits async ones, then exits with 130', async () => {
    const { g, exits, messages } = guard();
    const order: string[] = [];
    g.register(() => {
      order.push('temp dir');
    });
    g.register(async () => {
      await new Promise((r) => setTimeout(r, 5));
      order.push('partial file');
    });
    const release = g.register(() => {
      order.push('finished work');
    });
    release();
    expect(g.pending).toBe(2);
    await g.trigger();
    expect(order).toEqual(['partial file', 'temp dir']);
    expect(exits).toEqual([INTERRUPTED_EXIT_CODE]);
    expect(INTERRUPTED_EXIT_CODE).toBe(130);
    expect(messages[0]).toContain('Interrupted');
  });

  it('reports a failing cleanup and still runs the others', async () => {
    const { g, exits, messages } = guard();
    let ran = false;
    g.register(() => {
      ran = true;
    });
    g.register(() => {
      throw new Error('disk gone');
    });
    await g.trigger();
    expect(ran).toBe(true);
    expect(messages.join('')).toContain('Cleanup failed: disk gone');
    expect(exits).toEqual([130]);
  });

  it('a second Ctrl-C while cleaning up exits at once; the same one relayed by a wrapper does not', async () => {
    const { g, exits, clock } = guard();
    let finish: () => void = () => {};
    g.register(() => new Promise<void>((r) => (finish = r)));
    const first = g.trigger();
    clock.ms = 50; // npm/tsx forwarding the terminal's SIGINT to a process that already has it
    await g.trigger();
    expect(exits).toEqual([]);
    clock.ms = 1500; // a person pressing Ctrl-C again
    await g.trigger();
    expect(exits).toEqual([130]);
    finish();
    await first;
    expect(exits).toEqual([130, 130]);
  });

  it('install listens for SIGINT on process, uninstall stops', () => {
    const { g } = guard();
    const before = process.listenerCount('SIGINT');
    g.install();
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    g.uninstall();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
