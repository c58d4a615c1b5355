import type { Command } from './command.js';
import { evalCommand } from './eval_command.js';
import { explainCommand } from './explain_command.js';
import { predictCommand } from './predict_command.js';
import { preprocessCommand } from './preprocess_command.js';
import { reportCommand } from './report_command.js';
import { trainCommand } from './train_command.js';

/** The CLI's commands, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  preprocessCommand,
  trainCommand,
  evalCommand,
  predictCommand,
  explainCommand,
  reportCommand,
];
