import type { Command } from './command.js';
import { preprocessCommand } from './preprocess_command.js';
import { reportCommand } from './report_command.js';

/** The CLI's commands, in the order help lists them. */
export const COMMANDS: readonly Command[] = [preprocessCommand, reportCommand];
