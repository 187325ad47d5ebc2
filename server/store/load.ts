// Start-up: the working set (ServerState) rebuilt from the database, the truth. Bounded records are
// fed through the same bounds as at intake; proof of play loads the newest the memory bound holds
// (the rest stays in the database for reports).
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Heartbeat } from '../../main/core/protocol/heartbeat'
import type { Emergency } from '../../main/core/protocol/manifest'
import type { PlayRecord } from '../../main/core/protocol/plays'
import type { ReportBody, UploadMeta } from '../../main/core/protocol/api'
import type { Db } from '../db/database'
import { playBytes, type ServerState, type UptimeDayRecord } from '../state'
import type { Pairing } from '../pairing'
import type { SealedRow } from './sealed'
import { FLEET } from './writes'

const parse = <T>(text: string): T => JSON.parse(text) as T

/** `dataDir`: what the file paths in the rows are relative to. */
export async function loadState(db: Db, dataDir: string, state: ServerState, now: number): Promise<void> {
  for (const row of await db.selectFrom('devices').selectAll().execute()) {
    const record = state.addDeviceHashed(row.device_id, row.token_hash, row.added_at, row.last_seen)
    record.addedAt = row.added_at
    if (row.dropped_plays > 0) state.droppedPlays.set(row.device_id, row.dropped_plays)
  }
  for (const row of await db.selectFrom('device_assets').selectAll().execute()) state.assets.set(row.sha256, { kind: 'file', path: resolve(dataDir, row.path), size: row.size })
  for (const row of await db.selectFrom('device_publications').selectAll().execute()) {
    const publication = { version: row.version, document: parse<Record<string, unknown>>(row.document), publishedAt: row.published_at }
    if (row.target === FLEET) state.fleetPublication = publication
    else state.devicePublications.set(row.target, publication)
  }
  for (const row of await db.selectFrom('device_emergencies').selectAll().orderBy('seq').execute()) {
    state.addEmergency(
      {
        emergency: parse<Emergency>(row.emergency),
        targets: row.targets === null ? 'all' : new Set(parse<string[]>(row.targets)),
        clearedFor: new Set(parse<string[]>(row.cleared_for)),
        clearedForAll: row.cleared_for_all === 1
      },
      now
    )
  }
  for (const row of await db.selectFrom('device_log').selectAll().orderBy('id').execute()) {
    const base = { deviceId: row.device_id, receivedAt: row.received_at, bytes: row.bytes }
    const flags = { valid: row.valid === 1, ...(row.error === null ? {} : { error: row.error }) }
    if (row.kind === 'ack') state.acks.add({ ...base, ...flags, ack: parse<unknown>(row.body) })
    else if (row.kind === 'problem') state.problems.add({ ...base, ...flags, problem: parse<unknown>(row.body) })
    else state.reports.add({ ...base, report: parse<ReportBody>(row.body) })
  }
  await loadDeviceRecords(db, state)
  for (const row of await db.selectFrom('device_uploads').selectAll().orderBy('seq').execute()) {
    const bytes = await readFile(resolve(dataDir, row.path)).catch(() => null)
    // A row whose file is gone (removed by hand) is skipped rather than served as empty.
    if (bytes) state.storeUpload({ deviceId: row.device_id, meta: parse<UploadMeta>(row.meta), bytes, receivedAt: row.received_at })
  }
}

async function loadDeviceRecords(db: Db, state: ServerState): Promise<void> {
  for (const deviceId of state.devices.keys()) {
    const latest = await db.selectFrom('device_heartbeats').selectAll().where('device_id', '=', deviceId).orderBy('id', 'desc').limit(1).executeTakeFirst()
    if (latest) state.heartbeats.set(deviceId, { heartbeat: parse<Heartbeat>(latest.heartbeat), receivedAt: latest.received_at })
    const days = await db.selectFrom('device_uptime').selectAll().where('device_id', '=', deviceId).orderBy('seq').execute()
    if (days.length > 0) state.uptime.set(deviceId, new Map(days.map((day) => [day.date, parse<UptimeDayRecord>(day.day)])))
    const plays = await db
      .selectFrom('device_plays')
      .select(['play_id', 'play'])
      .where('device_id', '=', deviceId)
      .orderBy('received_at', 'desc')
      .orderBy('started_at', 'desc')
      .limit(state.limits.plays.count)
      .execute()
    for (const row of plays.reverse()) {
      const play = parse<PlayRecord>(row.play)
      state.plays.add(deviceId, row.play_id, { play: { ...play, deviceId }, bytes: playBytes(play) })
    }
  }
}

/** Manifests sealed before the restart: served again as they were while still right (same ETag, no 200 storm). */
export async function loadSealed(db: Db): Promise<SealedRow[]> {
  const rows = await db.selectFrom('device_sealed').selectAll().execute()
  return rows.map((row) => ({ deviceId: row.device_id, protocol: row.protocol, contentKey: row.content_key, sealedAt: row.sealed_at, etag: row.etag, body: row.body }))
}

/** Pairing requests still running (expired ones are deleted): a board polling across a restart still gets its token. */
export async function loadPairings(db: Db, now: number): Promise<Pairing[]> {
  await db.deleteFrom('device_pairings').where('expires_at', '<=', now).execute()
  const rows = await db.selectFrom('device_pairings').selectAll().execute()
  return rows.map((row) => ({
    pairingHash: row.pairing_hash,
    tokenHash: row.token_hash,
    code: row.code,
    expiresAt: row.expires_at,
    address: row.address,
    ...(row.approved === null ? {} : { approved: parse<{ deviceId: string; boardName?: string }>(row.approved) })
  }))
}
