/**
 * The options plan, apply and drift share (import shares the connection's), apart from the wiring in
 * pipeline.ts: defining the commands needs only these, and loads none of what a command runs.
 */
import type { Command } from 'commander';
import { COMMENT_LIMIT } from '../core/render/markdown.js';

export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--base-url <url>', 'Webex API base URL (default: $WEBEX_BASE_URL or https://webexapis.com/v1)')
    .option('--concurrency <n>', 'requests in flight at most', '8')
    .option('--log-level <level>', 'log level on stderr: fatal, error, warn, info, debug, trace, silent', 'warn');
}

/** Every command that prints Markdown: a wrapper that adds its own text to a comment (the action) leaves itself room. */
export function addMaxCharsOption(cmd: Command): Command {
  return cmd.option('--max-chars <n>', `with --format markdown: shorten each report to at most n characters, between whole sections (default ${COMMENT_LIMIT}, a GitHub comment's limit)`);
}

/** apply and drift: the report a CI job keeps whole, beside the one --max-chars shortens for a comment or an issue. */
export function addFullReportOption(cmd: Command): Command {
  return cmd.option('--full-report <file>', 'also write the whole report to FILE, in the same format, never shortened (for a CI artifact beside a shortened comment or issue)');
}

/** plan and apply only: drift reports orphans without deleting anything. */
export function addPruneOption(cmd: Command): Command {
  return cmd.option('--prune', 'delete the meetings meetctl created (ownership tag) that no file declares any more; without it they are listed as orphans');
}

export function addDesiredOptions(cmd: Command): Command {
  return cmd
    .option('--dir <dir>', 'directory of desired-state files', './meetings')
    .option('--target <id...>', 'plan only these meeting series (repeatable)')
    .option('--shard <k/n>', 'plan only the k-th of n deterministic partitions of the meetings (CI matrices)')
    .option('--fetch <strategy>', 'how to read series: auto, get or list', 'auto');
}
