// The heartbeat: a pure composer of "how is this board right now" for the source system (its wire
// schema is protocol/heartbeat.ts), and a bounded queue that keeps only the latest heartbeats while offline.
import { Heartbeat } from '../protocol/heartbeat'
import type { SyncSnapshot } from '../sync/sync-status'

export interface HeartbeatInputs {
  deviceId: string
  deviceName: string
  appVersion: string
  os: { platform: string; release: string; arch: string }
  /** Epoch ms (os.uptime() based), null if unknown. */
  bootAt: number | null
  appStartedAt: number
  screen: { itemId: string | null; layoutId: string | null; programVersion: string | null; rendererAnswering: boolean; hasContent: boolean }
  emergency: { id: string; since: number | null } | null
  displayOn: boolean | null
  /** Null in standalone mode (no source system). */
  sync: SyncSnapshot | null
  cache: { storedBytes: number; partialBytes: number; quotaBytes: number; quarantinedCount: number }
  reporting: { pendingPlays: number; droppedPlays: number; droppedHeartbeats: number; pendingUploads: number; droppedUploads: number }
  update?: Heartbeat['update']
  /** Which content the board takes; absent in standalone mode. */
  contentTrust?: Heartbeat['contentTrust']
  /** Whether the screen's browser is sandboxed, as the shell says; absent when the shell does not say. */
  screenSandbox?: Heartbeat['screenSandbox']
  /** Up, non-loopback interfaces (names as the OS gives them). */
  links?: string[]
}

/** Guesses a link's kind from its interface name (Linux predictable names, Windows adapter names). */
export function linkKind(name: string): 'ethernet' | 'wifi' | 'cellular' | 'other' {
  const n = name.toLowerCase()
  if (/^(wl|wlan|wifi)|wi-?fi|wireless/.test(n)) return 'wifi'
  if (/^(ww|wwan|ppp|usb|rmnet|wwp)|cellular|mobile|lte/.test(n)) return 'cellular'
  if (/^(en|eth)|ethernet/.test(n)) return 'ethernet'
  return 'other'
}

const iso = (ms: number | null): string | null => (ms === null || !Number.isFinite(ms) ? null : new Date(ms).toISOString())

/** Builds the heartbeat from what the core knows; pure, so it is tested without a board. */
export function composeHeartbeat(inputs: HeartbeatInputs, now: Date): Heartbeat {
  // Order matters: an operator asking "why is it black?" wants the most fundamental reason first.
  const playState: Heartbeat['screen']['playState'] =
    inputs.displayOn === false
      ? 'display-off'
      : !inputs.screen.rendererAnswering
        ? 'renderer-down'
        : inputs.emergency
          ? 'emergency'
          : inputs.screen.hasContent
            ? 'playing'
            : 'no-content'
  const sync = inputs.sync
  return Heartbeat.parse({
    schema: 1,
    deviceId: inputs.deviceId,
    deviceName: inputs.deviceName,
    sentAt: now.toISOString(),
    app: { version: inputs.appVersion },
    os: inputs.os,
    bootAt: iso(inputs.bootAt),
    appStartedAt: new Date(inputs.appStartedAt).toISOString(),
    // A wall clock stepped back since start must not give a negative uptime.
    appUptimeSec: Math.max(0, Math.floor((now.getTime() - inputs.appStartedAt) / 1000)),
    screen: {
      playState,
      itemId: inputs.screen.itemId,
      layoutId: inputs.screen.layoutId,
      programVersion: inputs.screen.programVersion
    },
    emergency: inputs.emergency ? { id: inputs.emergency.id, since: iso(inputs.emergency.since) } : null,
    network: { push: sync?.push ?? 'disconnected', links: (inputs.links ?? []).slice(0, 32).map((name) => ({ name: name.slice(0, 100), kind: linkKind(name) })) },
    sync: {
      state: sync?.state ?? 'standalone',
      lastSuccessAt: iso(sync?.lastSuccessAt ?? null),
      activeVersion: sync?.activeVersion ?? null,
      pendingVersion: sync?.pendingVersion ?? null,
      lastError: sync?.lastError?.slice(0, 2000) ?? null
    },
    cache: {
      usedBytes: inputs.cache.storedBytes + inputs.cache.partialBytes,
      quotaBytes: Number.isFinite(inputs.cache.quotaBytes) ? inputs.cache.quotaBytes : null,
      quarantined: inputs.cache.quarantinedCount
    },
    display: { power: inputs.displayOn === null ? 'unknown' : inputs.displayOn ? 'on' : 'off' },
    clock: { offsetMs: sync?.clockOffsetMs === null || sync?.clockOffsetMs === undefined ? null : Math.round(sync.clockOffsetMs) },
    reporting: inputs.reporting,
    update: inputs.update ?? { state: 'idle' },
    ...(inputs.contentTrust ? { contentTrust: inputs.contentTrust } : {}),
    ...(inputs.screenSandbox ? { screenSandbox: inputs.screenSandbox } : {})
  })
}

/**
 * Heartbeats waiting for the server. Each is a snapshot, so while offline only the latest few are
 * worth keeping (they show how the board got into its state); older ones are counted and dropped.
 */
export class HeartbeatQueue {
  private items: Heartbeat[] = []
  private droppedCount = 0

  constructor(private readonly max = 10) {
    if (max < 1) throw new RangeError('the heartbeat queue must hold at least one')
  }

  push(heartbeat: Heartbeat): void {
    this.items.push(heartbeat)
    if (this.items.length > this.max) this.droppedCount += this.items.splice(0, this.items.length - this.max).length
  }

  /** Oldest first, without removing them: remove with `acknowledge` once the server has them. */
  peek(): readonly Heartbeat[] {
    return [...this.items]
  }

  /** Removes the heartbeats sent up to and including `sentAt`. */
  acknowledge(sentAt: string): void {
    this.items = this.items.filter((h) => h.sentAt > sentAt)
  }

  get size(): number {
    return this.items.length
  }

  get dropped(): number {
    return this.droppedCount
  }
}
