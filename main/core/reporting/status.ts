// The board's status for the technician's overlay and the first-sync progress bar: a pure view of
// the heartbeat plus what only the board itself needs (server, disk, download progress).
import { StatusPayload } from '../../../contract/screen'
import type { SyncProgress } from '../sync/sync-status'
import type { Heartbeat } from '../protocol/heartbeat'

export interface StatusExtras {
  serverUrl: string | null
  /** True while an unpaired board waits for approval. */
  pairing: boolean
  progress: SyncProgress | null
  disk: { freeBytes: number; totalBytes: number } | null
  /** The runtime the core runs in (Node or Electron's), e.g. "node 20.20.2". */
  runtime: string
  todayUptimePercent: number | null
}

export function composeStatus(heartbeat: Heartbeat, extras: StatusExtras): StatusPayload {
  const network: StatusPayload['network'] = extras.serverUrl === null ? 'standalone' : extras.pairing ? 'pairing' : heartbeat.network.push
  const { screen } = heartbeat
  return StatusPayload.parse({
    deviceId: heartbeat.deviceId,
    serverUrl: extras.serverUrl,
    network,
    sync: {
      state: heartbeat.sync.state,
      lastSuccessAt: heartbeat.sync.lastSuccessAt,
      activeVersion: heartbeat.sync.activeVersion,
      lastError: heartbeat.sync.lastError
    },
    download: extras.progress
      ? {
          bytesDone: extras.progress.bytesDone,
          bytesTotal: extras.progress.bytesTotal,
          itemsDone: extras.progress.assetsDone,
          itemsTotal: extras.progress.assetsTotal
        }
      : null,
    cache: heartbeat.cache,
    disk: extras.disk,
    versions: {
      app: heartbeat.app.version,
      os: `${heartbeat.os.platform} ${heartbeat.os.release} ${heartbeat.os.arch}`.slice(0, 200),
      runtime: extras.runtime.slice(0, 200)
    },
    lastPlayed: screen.itemId && screen.programVersion ? { itemId: screen.itemId, programVersion: screen.programVersion } : null,
    uptime: { appSec: heartbeat.appUptimeSec, todayPercent: extras.todayUptimePercent },
    ...(heartbeat.contentTrust ? { trust: heartbeat.contentTrust } : {}),
    ...(heartbeat.screenSandbox ? { screenSandbox: heartbeat.screenSandbox } : {}),
    sentAt: heartbeat.sentAt
  })
}
