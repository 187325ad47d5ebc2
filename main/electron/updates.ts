// Starts the update controller with electron-updater behind it, in packaged builds only (an unpackaged
// run has no app-update.yml and nothing to install). The state is kept for the heartbeat.
import { join } from 'node:path'
import type { App } from 'electron'
import type { Logger } from '../core/log'
import type { Player } from '../core/start-player'
import { SHELL_CONFIG_FILE, type ShellConfig } from './shell-config'
import { electronUpdaterPort } from './updater/adapter'
import { UpdateController } from './updater/controller'
import { fileRecordStore } from './updater/record-store'
import { readSystemUpdatePolicy, systemPolicyPath, withPolicy } from './updater/system-policy'
import { updateTrust } from './updater/trust'
import type { UpdateState } from './updater/state'

export interface Updates {
  readonly state: UpdateState
  reportPlaying(): Promise<void>
}

let latest: UpdateState = { kind: 'disabled', reason: 'not started' }
/** The update state for the heartbeat: the core reads it through StartOptions.updateState. */
export const currentUpdateState = (): UpdateState => latest

export async function startUpdates(input: {
  app: Pick<App, 'isPackaged' | 'getVersion' | 'getPath' | 'relaunch' | 'exit' | 'quit'>
  shell: ShellConfig
  player: Player | null
  log: Logger
  /** The machine's root-owned update policy (default: this platform's, see system-policy.ts); tests name their own. */
  policy?: { path: string | null; owners?: ReadonlySet<number> }
}): Promise<Updates> {
  const { app, shell, player, log } = input
  const off = (reason: string): Updates => {
    latest = { kind: 'disabled', reason }
    return { state: latest, reportPlaying: async () => undefined }
  }
  if (!shell.updates.enabled) return off('disabled in shell.json')
  if (!app.isPackaged) return off('unpackaged build')
  // Before electron-updater is even loaded: no trusted key, or a config others can write, means no updates.
  const reading = await readSystemUpdatePolicy(input.policy ? input.policy.path : systemPolicyPath(), input.policy?.owners)
  if ('refused' in reading) {
    log.error('updates refused', { reason: reading.refused })
    return off(reading.refused)
  }
  const settings = withPolicy(shell.updates, reading.policy)
  if (reading.policy) log.info('update feed and keys from the machine policy; shell.json’s are ignored', { keys: reading.policy.trustedKeys.map((k) => k.keyId) })
  // With a machine policy, shell.json names neither feed nor keys, so its permissions no longer decide trust.
  const trusted = await updateTrust(settings, reading.policy ? null : join(app.getPath('userData'), SHELL_CONFIG_FILE))
  if ('refused' in trusted) {
    log.error('updates refused', { reason: trusted.refused })
    return off(trusted.refused)
  }
  try {
    const { autoUpdater } = await import('electron-updater')
    let controller: UpdateController | null = null
    const port = electronUpdaterPort({
      app,
      updater: autoUpdater,
      feedUrl: settings.url,
      // Read at each check: a board paired on screen has its id only once an operator approved it.
      deviceId: () => player?.deviceId() ?? 'standalone',
      log,
      onEvent: (event) => controller?.handle(event),
      trust: trusted.trust
    })
    controller = new UpdateController({
      port,
      store: fileRecordStore(join(app.getPath('userData'), 'update-record.json')),
      runningVersion: app.getVersion(),
      settings,
      timeZone: player?.timeZone ?? 'Asia/Ho_Chi_Minh',
      screen: () => ({
        displayOn: player?.displayOn() ?? null,
        emergencyOnScreen: player?.emergencyOnScreen() ?? false
      }),
      log,
      onChange: (state) => {
        latest = state
        log.info('update state', { ...state })
      }
    })
    latest = controller.state
    await controller.start()
    const running = controller
    setInterval(() => void running.tick(), 60_000).unref()
    return running
  } catch (error) {
    log.error('updater not started', { reason: (error as Error).message })
    return off(`updater failed to start: ${(error as Error).message}`)
  }
}
