// Carries out the source system's remote commands. Every command gets an answer: what was done, or
// why not (a shell that cannot do it, bad arguments) — never silence.
import { randomUUID } from 'node:crypto'
import type { DisplayPower } from './display-power'
import type { EmergencyStore } from './emergency/emergency-store'
import type { Logger } from './log'
import type { PlayerHost } from './player-host'
import type { Command, CommandResult, UploadMeta } from './protocol/api'
import { MAX_UPLOAD_BYTES } from './protocol/api'
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
  screenshots: Pick<Screenshots, 'take' | 'available'>
  settings: Pick<SettingsStore, 'update'>
  shell: ShellControls
  /** Queues a file for upload (the outbox) and wakes the uploader. */
  upload(meta: UploadMeta, bytes: Buffer): Promise<void>
  log: Logger
  /** Board time, for stamps sent upstream; default the system clock. */
  now?: () => Date
}

export function createCommandRunner(deps: CommandDeps): (command: Command) => Promise<CommandResult> {
  const now = deps.now ?? (() => new Date())
  return async (command) => {
    switch (command.kind) {
      case 'resync':
        deps.resync()
        return { ok: true, detail: 'sync started' }
      case 'reload': {
        const screens = deps.host.reload(`command ${command.id}`)
        return screens > 0 ? { ok: true, detail: `${screens} screen(s) reloading` } : { ok: false, detail: 'no screen is connected to reload' }
      }
      case 'screenshot': {
        if (!deps.screenshots.available) return { ok: false, detail: 'refused: this shell cannot capture its screen' }
        const shot = await deps.screenshots.take(command.id)
        return { ok: true, detail: `screenshot ${shot.id} (${shot.width}×${shot.height}, ${shot.bytes} bytes) queued for upload` }
      }
      case 'restart': {
        const restart = deps.shell.restart
        if (!restart) return { ok: false, detail: 'refused: this shell cannot restart itself' }
        deps.log.warn('restarting on command', { id: command.id })
        setTimeout(restart, RESTART_DELAY_MS).unref?.()
        return { ok: true, detail: `restarting in ${RESTART_DELAY_MS} ms` }
      }
      case 'display-on':
      case 'display-off':
        await deps.display.set(command.kind === 'display-on')
        return { ok: true, detail: `display power command run (${command.kind})` }
      case 'clear-emergency': {
        const id = String(command.args.id ?? '')
        const active = deps.emergencies.active().find((e) => e.id === id)
        if (!active) return { ok: false, detail: `no active emergency ${id}` }
        await deps.director.clearEmergency({ id, clearedAt: now().toISOString(), expiresAt: active.expiresAt })
        return { ok: true, detail: `emergency ${id} cleared` }
      }
      case 'upload-logs': {
        if (!deps.shell.logFiles) return { ok: false, detail: 'refused: this shell keeps no log files' }
        const files = await deps.shell.logFiles()
        if (files.length === 0) return { ok: false, detail: 'no log file has been written (the log folder may not be writable)' }
        const bundle = await bundleLogs(files, LOG_BUDGET_BYTES)
        if (bundle.gz.length > MAX_UPLOAD_BYTES) return { ok: false, detail: `log bundle too large (${bundle.gz.length} bytes gzipped)` }
        const id = `logs-${randomUUID()}`
        await deps.upload({ kind: 'logs', id, takenAt: now().toISOString(), contentType: 'application/gzip', commandId: command.id }, bundle.gz)
        const omitted = bundle.omittedBytes > 0 ? `, oldest ${bundle.omittedBytes} bytes left out` : ''
        return { ok: true, detail: `logs ${id}: ${bundle.files} file(s), ${bundle.includedBytes} bytes (${bundle.gz.length} gzipped)${omitted} queued for upload` }
      }
      case 'set-volume': {
        const volume = command.args.volume
        if (typeof volume !== 'number' || !(volume >= 0 && volume <= 1)) {
          return { ok: false, detail: `refused: volume must be a number from 0 to 1, got ${JSON.stringify(volume ?? null)}` }
        }
        await deps.settings.update({ volume })
        deps.host.setVolume(volume)
        return { ok: true, detail: `volume set to ${Math.round(volume * 100)} %` }
      }
      default:
        return { ok: false, detail: `refused: ${command.kind} is not supported by this version` }
    }
  }
}
