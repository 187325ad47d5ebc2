// In-memory state of the reference source server: devices and their tokens, what is published to
// whom, emergencies, the stored files, and what devices sent back. Survives stop()/start().
import { createHash } from 'node:crypto'
import type { ReportBody, UploadMeta } from '../main/core/protocol/api'
import type { Emergency } from '../main/core/protocol/manifest'
import type { Heartbeat } from '../main/core/protocol/heartbeat'
import type { PlayRecord } from '../main/core/protocol/plays'
import { DEFAULT_STORAGE_LIMITS, DeviceLog, DeviceMap, TOTAL_BOUNDS, type StorageLimits } from './device-records'

export type UptimeDayRecord = Extract<ReportBody, { kind: 'uptime' }>['days'][number]

/** Where an asset's bytes live: small test content in memory, big files on disk (streamed, never loaded). */
export type AssetSource = { kind: 'buffer'; bytes: Buffer } | { kind: 'file'; path: string; size: number }

export function sourceSize(source: AssetSource): number {
  return source.kind === 'buffer' ? source.bytes.length : source.size
}

/** Tokens are held (and stored) only as their sha256: a leaked database or heap dump hands out no board's token. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

export interface DeviceRecord {
  deviceId: string
  tokenHash: string
  addedAt: number
  /** Last HTTP request or socket event from the device (ms since epoch). */
  lastSeen: number | null
}

/** A published manifest as stored: asset urls rewritten, no issuedAt/expiresAt (stamped when served). */
export interface Publication {
  version: string
  document: Record<string, unknown>
  publishedAt: number
}

export interface EmergencyRecord {
  emergency: Emergency
  targets: 'all' | ReadonlySet<string>
  /** Devices the emergency was cleared for, when cleared for some only. */
  clearedFor: Set<string>
  clearedForAll: boolean
}

/** Something a device sent over push. `valid` is false when it failed the protocol schema (then only its start is kept). */
export interface Received<K extends string> {
  deviceId: string
  receivedAt: number
  valid: boolean
  error?: string
  kind: K
  /** Its size as JSON: what counts against the device's bound. */
  bytes: number
}
/** `ack`/`problem`: the payload when valid; for an invalid one, the start of its JSON text (at most 200 characters). */
export type AckRecord = Omit<Received<'ack'>, 'kind'> & { ack: unknown }
export type ProblemRecord = Omit<Received<'problem'>, 'kind'> & { problem: unknown }
/** A report the schema accepted, as parsed (unknown fields dropped), with its size on the wire. */
export interface ReportRecord {
  deviceId: string
  report: ReportBody
  receivedAt: number
  bytes: number
}

/** A screenshot or log bundle a device uploaded (one per id, however often it was retried). */
export interface UploadRecord {
  deviceId: string
  meta: UploadMeta
  bytes: Buffer
  receivedAt: number
}

export interface ServerStats {
  manifestRequests: number
  manifest304: number
  assetRequests: number
  /** Asset requests that carried a Range header. */
  rangeRequests: number
  assetBytesSent: number
  manifestBytesSent: number
}

const MAX_EMERGENCY_RECORDS = 1_000

type StoredPlay = PlayRecord & { deviceId: string }

/** Roughly what a play record took on the wire (its strings plus its numbers). */
export function playBytes(play: PlayRecord): number {
  return play.id.length + play.itemId.length + play.programVersion.length + 64
}

export class ServerState {
  /** Proof of play per device by record id: a batch sent twice (at-least-once delivery) is stored once. */
  readonly plays: DeviceMap<{ play: StoredPlay; bytes: number }>
  /** Plays the boards had to drop when their journal overflowed, per device (their running total). */
  readonly droppedPlays = new Map<string, number>()
  readonly heartbeats = new Map<string, { heartbeat: Heartbeat; receivedAt: number }>()
  readonly uptime = new Map<string, Map<string, UptimeDayRecord>>()
  readonly devices = new Map<string, DeviceRecord>()
  /** Device id by token hash. */
  private readonly deviceByToken = new Map<string, string>()
  /** Published to all devices (current and future) … */
  fleetPublication: Publication | null = null
  /** … unless a device has its own, published later. */
  readonly devicePublications = new Map<string, Publication>()
  readonly assets = new Map<string, AssetSource>()
  readonly emergencies = new Map<string, EmergencyRecord>()
  readonly acks: DeviceLog<AckRecord>
  readonly problems: DeviceLog<ProblemRecord>
  readonly reports: DeviceLog<ReportRecord>
  /** By `deviceId/uploadId`, oldest first; bounded per device and overall. */
  readonly uploads = new Map<string, UploadRecord>()
  readonly stats: ServerStats = {
    manifestRequests: 0,
    manifest304: 0,
    assetRequests: 0,
    rangeRequests: 0,
    assetBytesSent: 0,
    manifestBytesSent: 0
  }

  constructor(readonly limits: StorageLimits = DEFAULT_STORAGE_LIMITS) {
    this.plays = new DeviceMap(limits.plays)
    this.acks = new DeviceLog(limits.acks)
    this.problems = new DeviceLog(limits.problems)
    this.reports = new DeviceLog(limits.reports)
  }

  /** Adds a device or replaces its token (the old token stops working). */
  addDevice(deviceId: string, token: string, now: number): DeviceRecord {
    return this.addDeviceHashed(deviceId, tokenHash(token), now)
  }

  /** The same with the token already hashed (loading from the database, which never held it in clear). */
  addDeviceHashed(deviceId: string, hash: string, now: number, lastSeen: number | null = null): DeviceRecord {
    const holder = this.deviceByToken.get(hash)
    if (holder !== undefined && holder !== deviceId) throw new Error(`token already belongs to device ${holder}`)
    const old = this.devices.get(deviceId)
    if (old) this.deviceByToken.delete(old.tokenHash)
    const record: DeviceRecord = { deviceId, tokenHash: hash, addedAt: old?.addedAt ?? now, lastSeen: old?.lastSeen ?? lastSeen }
    this.devices.set(deviceId, record)
    this.deviceByToken.set(hash, deviceId)
    return record
  }

  /** Which device holds this token hash, if any. */
  holderOf(hash: string): string | undefined {
    return this.deviceByToken.get(hash)
  }

  removeDevice(deviceId: string): boolean {
    const record = this.devices.get(deviceId)
    if (!record) return false
    this.deviceByToken.delete(record.tokenHash)
    this.devices.delete(deviceId)
    return true
  }

  /** Stores a report the schema accepted; `bytes` is its size on the wire. */
  storeReport(deviceId: string, report: ReportBody, bytes: number, now: number): void {
    this.reports.add({ deviceId, report, receivedAt: now, bytes })
    switch (report.kind) {
      case 'plays':
        for (const entry of report.batch.entries) this.plays.add(deviceId, entry.id, { play: { ...entry, deviceId }, bytes: playBytes(entry) })
        this.droppedPlays.set(deviceId, Math.max(this.droppedPlays.get(deviceId) ?? 0, report.batch.dropped.entries))
        break
      case 'heartbeats': {
        const latest = report.items.at(-1)
        if (latest) this.heartbeats.set(deviceId, { heartbeat: latest, receivedAt: now })
        break
      }
      case 'uptime': {
        const days = this.uptime.get(deviceId) ?? new Map<string, UptimeDayRecord>()
        for (const day of report.days) {
          // A day reported again moves to the newest end; the oldest reported days go first.
          days.delete(day.date)
          days.set(day.date, day)
        }
        for (const date of days.keys()) {
          if (days.size <= this.limits.uptimeDays) break
          days.delete(date)
        }
        this.uptime.set(deviceId, days)
        break
      }
    }
  }

  /** Keyed by device and id: one device reusing another's id cannot overwrite its upload. */
  storeUpload(record: UploadRecord): void {
    const key = `${record.deviceId}/${record.meta.id}`
    this.uploads.delete(key)
    this.uploads.set(key, record)
    // Oldest first out, by count and by bytes: first the uploading device's own beyond its bound, so a
    // chatty board cannot push out the others', then anyone's beyond the total.
    const mine = { count: 0, bytes: 0 }
    const total = { count: 0, bytes: 0 }
    for (const upload of this.uploads.values()) {
      total.count++
      total.bytes += upload.bytes.length
      if (upload.deviceId !== record.deviceId) continue
      mine.count++
      mine.bytes += upload.bytes.length
    }
    for (const [oldKey, old] of this.uploads) {
      if (mine.count <= this.limits.uploads.count && mine.bytes <= this.limits.uploads.bytes) break
      if (old.deviceId !== record.deviceId) continue
      mine.count--
      mine.bytes -= old.bytes.length
      total.count--
      total.bytes -= old.bytes.length
      this.uploads.delete(oldKey)
    }
    for (const [oldKey, old] of this.uploads) {
      if (total.count <= TOTAL_BOUNDS.uploads.count && total.bytes <= TOTAL_BOUNDS.uploads.bytes) break
      total.count--
      total.bytes -= old.bytes.length
      this.uploads.delete(oldKey)
    }
  }

  deviceForToken(token: string): string | undefined {
    return this.deviceByToken.get(tokenHash(token))
  }

  touch(deviceId: string, now: number): void {
    const record = this.devices.get(deviceId)
    if (record) record.lastSeen = now
  }

  publicationFor(deviceId: string): Publication | null {
    return this.devicePublications.get(deviceId) ?? this.fleetPublication
  }

  /** Without device ids the publication goes to the whole fleet and replaces per-device ones. */
  setPublication(publication: Publication, deviceIds?: readonly string[]): void {
    if (!deviceIds) {
      this.fleetPublication = publication
      this.devicePublications.clear()
      return
    }
    for (const id of deviceIds) this.devicePublications.set(id, publication)
  }

  addEmergency(record: EmergencyRecord, now: number): void {
    this.emergencies.delete(record.emergency.id)
    this.emergencies.set(record.emergency.id, record)
    if (this.emergencies.size <= MAX_EMERGENCY_RECORDS) return
    // Forget the oldest finished ones first; they no longer change any manifest.
    for (const [id, old] of this.emergencies) {
      if (this.emergencies.size <= MAX_EMERGENCY_RECORDS) break
      if (old.clearedForAll || Date.parse(old.emergency.expiresAt) <= now) this.emergencies.delete(id)
    }
  }

  /** Marks an emergency cleared for some devices or all; false when the id is unknown. */
  clearEmergency(id: string, deviceIds?: readonly string[]): boolean {
    const record = this.emergencies.get(id)
    if (!record) return false
    if (!deviceIds) record.clearedForAll = true
    else for (const deviceId of deviceIds) record.clearedFor.add(deviceId)
    return true
  }

  /** Ids of unexpired emergencies meant for this device and cleared for it: a manifest must be issued after such a clear to end it on the board. */
  clearedEmergencies(deviceId: string, now: number): string[] {
    const cleared: string[] = []
    for (const record of this.emergencies.values()) {
      if (!record.clearedForAll && !record.clearedFor.has(deviceId)) continue
      if (record.targets !== 'all' && !record.targets.has(deviceId)) continue
      if (Date.parse(record.emergency.expiresAt) <= now) continue
      cleared.push(record.emergency.id)
    }
    return cleared
  }

  /** Unexpired, uncleared emergencies meant for this device, oldest first. */
  activeEmergencies(deviceId: string, now: number): Emergency[] {
    const active: Emergency[] = []
    for (const record of this.emergencies.values()) {
      if (record.clearedForAll || record.clearedFor.has(deviceId)) continue
      if (record.targets !== 'all' && !record.targets.has(deviceId)) continue
      if (Date.parse(record.emergency.expiresAt) <= now) continue
      active.push(record.emergency)
    }
    return active
  }
}
