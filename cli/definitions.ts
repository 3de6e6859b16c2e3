/**
 * The command line: each command's name, arguments and options. An action imports its command's
 * module when it runs, so a run loads what its own command needs and not the other commands' (nor
 * the emulator's) modules; `--help` and `--version` load none of them.
 */
import type { Command } from 'commander';
import { DELETE_GUARD_MIN, DELETE_SHARE, MASS_CHANGE_SHARE } from '../core/policy.js';
import { formatList } from '../core/render/format-names.js';
import { act, type Invocation } from './io.js';
import { addConnectionOptions, addDesiredOptions, addFullReportOption, addMaxCharsOption, addPruneOption } from './options.js';
import type { ApplyCommandOptions } from './commands/apply.js';
import type { DriftCommandOptions } from './commands/drift.js';
import type { EmulatorFlags } from './commands/emulator.js';
import type { ImportCommandOptions } from './commands/import.js';
import type { PlanCommandOptions } from './commands/plan.js';
import type { ValidateOptions } from './commands/validate.js';
import type { FormatOptions } from './output.js';

export function registerValidate(program: Command, inv: Invocation): void {
  const cmd = program
    .command('validate')
    .description('check the desired-state files offline: YAML, schema, time zones, recurrence and cross-field rules (no network)')
    .option('--dir <dir>', 'directory of desired-state files', './meetings')
    .option('--format <format>', formatList(), 'text');
  addMaxCharsOption(cmd)
    .option('--log-level <level>', 'log level (stderr)', 'warn')
    .action(act(inv, async (opts: ValidateOptions) => (await import('./commands/validate.js')).validateCommand(opts, inv.io)));
}

export function registerPlan(program: Command, inv: Invocation): void {
  const cmd = program
    .command('plan')
    .description('compare the desired-state files with the live meetings and show the smallest patches that reconcile them (read-only)')
    .option('--out <file>', 'save the plan for `meetctl apply FILE` (secrets stay references; mode 0600)')
    .option('--format <format>', formatList(), 'text')
    .option('--detailed-exitcode', 'exit 0 when nothing changes, 2 when there are changes, 1 on error')
    .option('--send-email', 'record that apply should email invitees (default: no emails)');
  addMaxCharsOption(cmd);
  addDesiredOptions(cmd);
  addPruneOption(cmd);
  addConnectionOptions(cmd);
  cmd.action(act(inv, async (opts: PlanCommandOptions) => (await import('./commands/plan.js')).planCommand(opts, inv.io)));
}

export function registerApply(program: Command, inv: Invocation): void {
  const cmd = program
    .command('apply [planfile]')
    .description('apply a saved plan, or plan and apply after confirmation')
    .option('--auto-approve', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--send-email', 'let Webex email the host and invitees about each change (default: no emails; a saved plan decides, and a different choice is refused)')
    .option('--no-send-email', 'do not email anyone (a saved plan made with --send-email is then refused)')
    .option('--max-changes <n>', 'refuse a plan with more changes than this')
    .option('--max-deletes <n>', `refuse a plan that deletes more owned meetings than this (instead of more than ${DELETE_SHARE * 100}% of at least ${DELETE_GUARD_MIN})`)
    .option('--max-plan-age <duration>', 'refuse a saved plan older than this', '24h')
    .option(
      '--force',
      `allow a plan that changes more than ${MASS_CHANGE_SHARE * 100}% of the managed meetings, or deletes more than ${DELETE_SHARE * 100}% of the owned ones (or more than --max-deletes)`,
    )
    .option('--format <format>', `report format: ${formatList()}`, 'text');
  addMaxCharsOption(cmd);
  addFullReportOption(cmd);
  addDesiredOptions(cmd);
  addPruneOption(cmd);
  addConnectionOptions(cmd);
  cmd.action(
    act(inv, async (planFile: string | undefined, opts: ApplyCommandOptions, self: Command) => {
      // Options with a default are always set: a plan file makes them moot only when the user gave them.
      const given = ['dir', 'fetch'].filter((name) => self.getOptionValueSource(name) === 'cli');
      return (await import('./commands/apply.js')).applyCommand(planFile, { ...opts, given }, inv.io);
    }),
  );
}

export function registerDrift(program: Command, inv: Invocation): void {
  const cmd = program
    .command('drift')
    .description('report where live meetings differ from their files, keyed meetings that are missing and owned ones no file declares (for schedules): exit 0 in sync, 2 drift, 1 error')
    .option('--format <format>', formatList(), 'text')
    .option('--report-unmanaged', 'also list the meeting series the token can see that no file declares');
  addMaxCharsOption(cmd);
  addFullReportOption(cmd);
  addDesiredOptions(cmd);
  addConnectionOptions(cmd);
  cmd.action(act(inv, async (opts: DriftCommandOptions) => (await import('./commands/drift.js')).driftCommand(opts, inv.io)));
}

export function registerImport(program: Command, inv: Invocation): void {
  const cmd = program
    .command('import')
    .description('write live meeting series as desired-state YAML files (one per series); plan on them shows no change')
    .option('--out <dir>', 'directory to write the files into', './meetings')
    .option('--id <id...>', 'meeting series ids to import (repeatable)')
    .option('--all', 'the meeting series the token\'s user hosts or is invited to, in the window (not other hosts\' meetings: use --host)')
    .option('--host <email...>', 'the meeting series these users host (admin token; repeatable); their invitations are skipped')
    .option('--timezone <zone>', 'IANA time zone the files state and write start/end in', 'UTC')
    .option('--from <date>', 'start of the listing window (default: a day ago)')
    .option('--to <date>', 'end of the listing window (default: ten years ahead)')
    .option('--defaults', "write the values every imported series shares to the folder's defaults.yaml, not into each file")
    .option('--force', 'overwrite existing files (and, with --defaults, an existing defaults.yaml)')
    .option('--snapshot <file>', 'instead of meeting files, write the live state of the meetings --dir declares as an emulator seed (secrets removed), for a rehearsal')
    .option('--dir <dir>', 'with --snapshot: the desired-state files whose meetings to snapshot (default ./meetings)');
  addConnectionOptions(cmd);
  cmd.action(act(inv, async (opts: ImportCommandOptions) => (await import('./commands/import.js')).importCommand(opts, cmd, inv.io)));
}

export function registerShow(program: Command, inv: Invocation): void {
  const cmd = program
    .command('show')
    .description(`print a saved plan (from plan --out) as ${formatList()}; offline`)
    .argument('<planfile>', 'a plan saved with meetctl plan --out')
    .option('--format <format>', formatList(), 'text');
  addMaxCharsOption(cmd).action(act(inv, async (file: string, opts: FormatOptions) => (await import('./commands/show.js')).showCommand(file, opts, inv.io)));
}

export function registerEmulator(program: Command, inv: Invocation): void {
  program
    .command('emulator')
    .description('run a local Webex Meetings API emulator (prints its base URL and a token, then serves until interrupted)')
    .option('--port <n>', 'port on 127.0.0.1 (0 = any free port)', '0')
    .option('--seed <file>', 'seed file (.json, .yaml or .yml); default: the built-in example meetings')
    .option('--latency <ms>', 'latency added to each request, with ±20% jitter')
    .option('--rate-limit <n>', 'requests per second per token before 429 (0 = off)')
    .option('--fault-rate <p>', 'probability (0..1) of a 503, a 423 or a dropped connection per request')
    .option('--now <iso>', 'start the emulator clock at this instant')
    .option('--request-log <file>', 'append every request to this JSON-lines file')
    .option('--create-quota', "enforce Webex's create quota: 100 creates a user, 3000 an admin (800 for one user) in 24 hours, failed ones counted")
    .option('--log-level <level>', 'log level for stderr', 'info')
    .action(act(inv, async (flags: EmulatorFlags) => (await import('./commands/emulator.js')).emulatorCommand(flags, inv.io)));
}
