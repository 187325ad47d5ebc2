// electron-updater behind the controller's port: the province's generic feed with signed metadata (see
// signed-feed.ts), no auto-download or auto-install (the controller decides when), sha512 checked by
// electron-updater on every download and, on Windows, the installer's Authenticode publisher as well.
import { spawn } from 'node:child_process'
import { copyFile, mkdir, rename } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { App } from 'electron'
import type { AppUpdater, UpdateInfo } from 'electron-updater'
import type { Logger } from '../../core/log'
import type { UpdaterPort } from './controller'
import { inRollout } from './policy'
import type { UpdateTrust } from './metadata-signature'
import { bakedFeed, signedFeed, UpdateGate } from './signed-feed'
import type { UpdateEvent } from './state'

export interface AdapterOptions {
  app: Pick<App, 'getPath' | 'relaunch' | 'exit' | 'quit'>
  updater: AppUpdater
  /** The province's update server; absent: the URL baked into app-update.yml at build time. */
  feedUrl: string | undefined
  /** The board's id, read at each check (its rollout bucket): the paired id, once paired. */
  deviceId: () => string
  log: Logger
  onEvent(event: UpdateEvent): void
  platform?: NodeJS.Platform
  /** The update keys from this board's configuration (never from the feed) and the lab switch. */
  trust: UpdateTrust
}

export function electronUpdaterPort(options: AdapterOptions): UpdaterPort {
  const { updater, app, log } = options
  const platform = options.platform ?? process.platform
  const rollbackDir = join(app.getPath('userData'), 'rollback')
  updater.autoDownload = false
  updater.autoInstallOnAppQuit = false
  updater.allowDowngrade = false
  updater.allowPrerelease = false
  updater.isUserWithinRollout = (info: UpdateInfo) => inRollout(options.deviceId(), info.stagingPercentage)
  updater.logger = { info: (m: unknown) => log.info(String(m)), warn: (m: unknown) => log.warn(String(m)), error: (m: unknown) => log.error(String(m)) }

  const gate = new UpdateGate(options.trust, log)
  let feedSet = false
  /** The signed feed, set before the first check: the URL from shell.json, else the one in app-update.yml. */
  const useSignedFeed = async (): Promise<void> => {
    if (feedSet) return
    const feed = options.feedUrl ? { url: options.feedUrl, channel: null } : await bakedFeed(updater)
    updater.setFeedURL(await signedFeed(feed.url, feed.channel, gate))
    feedSet = true
  }
  let available: UpdateInfo | null = null

  const now = Date.now
  updater.on('update-available', (info) => {
    available = info
    options.onEvent({ type: 'update-available', version: info.version, at: now() })
  })
  updater.on('update-not-available', () => options.onEvent({ type: 'update-not-available', at: now() }))
  updater.on('download-progress', (progress) => options.onEvent({ type: 'download-progress', percent: progress.percent }))
  updater.on('update-downloaded', (info) => options.onEvent({ type: 'downloaded', version: info.version, at: now() }))
  updater.on('error', (error) => options.onEvent({ type: 'error', reason: error.message, at: now() }))

  const appImage = process.env['APPIMAGE']
  const installerPath = (): string | null => (updater as unknown as { installerPath?: string | null }).installerPath ?? null

  return {
    async check() {
      await useSignedFeed()
      await updater.checkForUpdates()
    },
    async download() {
      // Only metadata that passed the signature check is ever downloaded, whatever set the feed.
      if (!gate.accepted(available)) {
        throw new Error('Từ chối tải bản cập nhật: siêu dữ liệu chưa được kiểm tra chữ ký / Download refused: the update metadata was not signature-checked')
      }
      await updater.downloadUpdate()
    },
    async prepareRollback(fromVersion, toVersion) {
      await mkdir(rollbackDir, { recursive: true })
      if (platform === 'linux' && appImage) {
        // The AppImage is replaced in place: a copy of the running one is a complete rollback.
        const kept = join(rollbackDir, `${fromVersion}.AppImage`)
        await copyFile(appImage, kept)
        return kept
      }
      if (platform === 'win32') {
        // Keep the installer being run now; it is the rollback for the *next* update. The previous
        // version's installer exists only if that version also came through the updater.
        const current = installerPath()
        if (current) await copyFile(current, join(rollbackDir, `${toVersion}.exe`))
        const previous = join(rollbackDir, `${fromVersion}.exe`)
        return existsSync(previous) ? previous : null
      }
      return null
    },
    quitAndInstall() {
      // Silent, and start the player again afterwards.
      updater.quitAndInstall(true, true)
    },
    async rollback(path) {
      if (path === null || !existsSync(path)) {
        return {
          started: false,
          note:
            platform === 'win32'
              ? 'no installer of the previous version kept (it was installed by hand); reinstall it with /S'
              : platform === 'linux' && !appImage
                ? 'deb installs cannot be rolled back from the app; reinstall the previous .deb with apt'
                : 'nothing kept to roll back to'
        }
      }
      if (platform === 'linux' && appImage) {
        const temp = `${appImage}.rollback`
        await copyFile(path, temp)
        await rename(temp, appImage)
        app.relaunch()
        app.exit(0)
        return { started: true, note: `AppImage restored from ${path}` }
      }
      if (platform === 'win32') {
        spawn(path, ['/S', '--force-run'], { detached: true, stdio: 'ignore' }).unref()
        app.quit()
        return { started: true, note: `running ${path} /S` }
      }
      return { started: false, note: `rollback not supported on ${platform}` }
    }
  }
}
