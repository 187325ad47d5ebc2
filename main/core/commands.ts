// Carries out the source system's remote commands: one handler per wire kind (protocol/command-kinds.ts),
// each saying what it needs from the shell. Every command gets an answer — what was done, or why not.
import { randomUUID } from 'node:crypto'
import type { DisplayPower } from './display-power'
import type { EmergencyStore } from './emergency/emergency-store'
import type { Logger } from './log'
import type { PlayerHost } from './player-host'
import type { Command, CommandResult, UploadMeta } from './protocol/api'
import { MAX_UPLOAD_BYTES } from './protocol/api'
import { isCommandKind, parseCommandArgs, type CommandArgs, type CommandKind } from './protocol/command-kinds'
import { bundleLogs } from './reporting/log-bundle'
import type { Screenshots } from './reporting/screenshots'
import type { Director } from './schedule/director'
import type { SettingsStore } from './settings-store'
import type { ShellControls } from './shell-controls'

/** Time for the acknowledgement to leave before the process goes away. */
export const RESTART_DELAY_MS = 1500
/** Log text per bundle: the gzip of it stays well under the upload limit. */
const LOG_BUDGET_BYTES = 4 * MAX_UPLOAD_BYTES

export interface CommandDeps {
  resync(): void
  display: Pick<DisplayPower, 'set'>
  emergencies: Pick<EmergencyStore, 'active'>
  director: Pick<Director, 'clearEmergency'>
  host: Pick<PlayerHost, 'reload' | 'setVolume'>
  screenshots: Pick<Screenshots, 'take'>
  settings: Pick<SettingsStore, 'update'>
  shell: ShellControls
  /** Queues a file for upload (the outbox) and wakes the uploader. */
  upload(meta: UploadMeta, bytes: Buffer): Promise<void>
  log: Logger
  /** Board time, for stamps sent upstream; default the system clock. */
  now?: () => Date
}

/** What a shell may offer a command; shells differ (the browser shell cannot restart itself, a test shell captures nothing). */
export type ShellNeed = keyof ShellControls

/** Why a command is refused on a shell without what it needs (said to the operator, and in the docs). */
export const SHELL_NEEDS = {
  capture: 'this shell cannot capture its screen',
  restart: 'this shell cannot restart itself',
  logFiles: 'this shell keeps no log files'
} satisfies Record<ShellNeed, string>

/** What a handler runs with; `shell` holds for certain what the handler said it needs. */
export interface CommandContext<S = ShellControls> {
  command: Command
  deps: CommandDeps
  shell: S
  now(): Date
}

export interface CommandHandler<K extends CommandKind> {
  kind: K
  needs: readonly ShellNeed[]
  run(args: CommandArgs<K>, context: CommandContext): Promise<CommandResult>
}

/** One handler for every kind on the wire, and none for a kind the wire does not know. */
export type CommandHandlers = { [K in CommandKind]: CommandHandler<K> }

type Result = Promise<CommandResult> | CommandResult

/** A handler that runs only on a shell offering `needs` (and is typed to use just those). */
export function handle<K extends CommandKind, const N extends ShellNeed = never>(
  kind: K,
  needs: readonly N[],
  run: (args: CommandArgs<K>, context: CommandContext<Required<Pick<ShellControls, N>>>) => Result
): CommandHandler<K> {
  return {
    kind,
    needs,
    run: async (args, context) => {
      const missing = needs.find((need) => context.shell[need] === undefined)
      if (missing !== undefined) return { ok: false, detail: `refused: ${SHELL_NEEDS[missing]}` }
      return run(args, context as CommandContext<Required<Pick<ShellControls, N>>>)
    }
  }
}

export const COMMAND_HANDLERS = {
  resync: handle('resync', [], (_, { deps }) => {
    deps.resync()
    return { ok: true, detail: 'sync started' }
  }),
  reload: handle('reload', [], (_, { deps, command }) => {
    const screens = deps.host.reload(`command ${command.id}`)
    return screens > 0 ? { ok: true, detail: `${screens} screen(s) reloading` } : { ok: false, detail: 'no screen is connected to reload' }
  }),
  screenshot: handle('screenshot', ['capture'], async (_, { deps, command }) => {
    const shot = await deps.screenshots.take(command.id)
    return { ok: true, detail: `screenshot ${shot.id} (${shot.width}×${shot.height}, ${shot.bytes} bytes) queued for upload` }
  }),
  restart: handle('restart', ['restart'], (_, { deps, command, shell }) => {
    deps.log.warn('restarting on command', { id: command.id })
    setTimeout(shell.restart, RESTART_DELAY_MS).unref?.()
    return { ok: true, detail: `restarting in ${RESTART_DELAY_MS} ms` }
  }),
  'display-on': handle('display-on', [], async (_, { deps }) => {
    await deps.display.set(true)
    return { ok: true, detail: 'display power command run (display-on)' }
  }),
  'display-off': handle('display-off', [], async (_, { deps }) => {
    await deps.display.set(false)
    return { ok: true, detail: 'display power command run (display-off)' }
  }),
  'clear-emergency': handle('clear-emergency', [], async ({ id }, { deps, now }) => {
    const active = deps.emergencies.active().find((e) => e.id === id)
    if (!active) return { ok: false, detail: `no active emergency ${id}` }
    await deps.director.clearEmergency({ id, clearedAt: now().toISOString(), expiresAt: active.expiresAt })
    return { ok: true, detail: `emergency ${id} cleared` }
  }),
  'upload-logs': handle('upload-logs', ['logFiles'], async (_, { deps, command, shell, now }) => {
    const files = await shell.logFiles()
    if (files.length === 0) return { ok: false, detail: 'no log file has been written (the log folder may not be writable)' }
    const bundle = await bundleLogs(files, LOG_BUDGET_BYTES)
    if (bundle.gz.length > MAX_UPLOAD_BYTES) return { ok: false, detail: `log bundle too large (${bundle.gz.length} bytes gzipped)` }
    const id = `logs-${randomUUID()}`
    await deps.upload({ kind: 'logs', id, takenAt: now().toISOString(), contentType: 'application/gzip', commandId: command.id }, bundle.gz)
    const omitted = bundle.omittedBytes > 0 ? `, oldest ${bundle.omittedBytes} bytes left out` : ''
    return { ok: true, detail: `logs ${id}: ${bundle.files} file(s), ${bundle.includedBytes} bytes (${bundle.gz.length} gzipped)${omitted} queued for upload` }
  }),
  'set-volume': handle('set-volume', [], async ({ volume }, { deps }) => {
    await deps.settings.update({ volume })
    deps.host.setVolume(volume)
    return { ok: true, detail: `volume set to ${Math.round(volume * 100)} %` }
  })
} satisfies CommandHandlers

export function createCommandRunner(deps: CommandDeps): (command: Command) => Promise<CommandResult> {
  const now = deps.now ?? (() => new Date())
  return async (command) => {
    if (!isCommandKind(command.kind)) return { ok: false, detail: `refused: ${command.kind} is not supported by this version` }
    return runKind(command.kind, { command, deps, shell: deps.shell, now })
  }
}

/** Checks the arguments against the kind's schema, then runs its handler (generic, so args and handler agree). */
async function runKind<K extends CommandKind>(kind: K, context: CommandContext): Promise<CommandResult> {
  const handler: CommandHandler<K> = (COMMAND_HANDLERS as CommandHandlers)[kind]
  const args = parseCommandArgs(kind, context.command.args)
  if (!args.ok) return args
  return handler.run(args.args, context)
}
