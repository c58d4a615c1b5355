import type { Row } from './context.js';
import type { TorchReference } from './torch_reference.js';

/** Fills in each row's ratio to another row of its backend and its ratio to the PyTorch figure. */
export function fillRatios(rows: Row[], reference: TorchReference): void {
  for (const row of rows) {
    const ms = row.medianMs;
    if (ms === undefined) continue;
    if (row.ratio !== undefined) {
      const to = row.ratio.to;
      const other = rows.find((r) => r.backend === row.backend && r.id === to)?.medianMs;
      if (other !== undefined) row.ratio.value = row.ratio.speedup ? other / ms : ms / other;
    }
    if (row.torch !== undefined) {
      const torchMs = reference.figuresMs[row.torch.name];
      if (torchMs !== undefined) {
        row.torch.ms = torchMs;
        row.torch.ratio = ms / torchMs;
      }
    }
  }
}
