// A stand-in for electron-updater's autoUpdater (the real one requires the real 'electron', which
// tries to download the binary): an event emitter that counts checks and keeps what the shell set.
import { EventEmitter } from 'node:events'
import type { UpdateInfo } from 'electron-updater'

export function createFakeUpdater() {
  return Object.assign(new EventEmitter(), {
    checks: 0,
    /** Set by the shell's updater port: the staged-rollout decision for this board. */
    isUserWithinRollout: null as ((info: UpdateInfo) => boolean) | null,
    setFeedURL(): void {},
    async checkForUpdates(this: { checks: number }): Promise<null> {
      this.checks++
      return null
    },
    async downloadUpdate(): Promise<string[]> {
      return []
    },
    quitAndInstall(): void {}
  })
}
