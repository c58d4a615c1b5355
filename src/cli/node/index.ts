export { type RunCliArgs, runCli } from '../run_cli.js';
export { readModelCard, writeModelCard } from './model_card_file.js';
export { resolveReportImages } from './resolve_report_images.js';
