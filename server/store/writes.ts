// Each acknowledged change to the device side as rows: what the write-ahead queue commits before the
// working set changes. Bounded records are pruned here to the same per-device counts as in memory;
// proof of play never is (the yearly report needs it).
import type { Command, ReportBody } from '../../main/core/protocol/api'
import type { Db } from '../db/database'
import type { StorageLimits } from '../device-records'
import type { EmergencyRecord, Publication } from '../state'
import type { Pairing } from '../pairing'
import type { SealedRow } from './sealed'

/** Heartbeats kept per device (latest plus history): a day and more at one a minute. */
export const HEARTBEAT_HISTORY = 2_000
export const FLEET = '*'

type LogKind = 'ack' | 'problem' | 'report'

export async function writeDevice(trx: Db, deviceId: string, tokenHash: string, now: number): Promise<void> {
  await trx
    .insertInto('devices')
    .values({ device_id: deviceId, token_hash: tokenHash, added_at: now, last_seen: null, dropped_plays: 0 })
    .onConflict((oc) => oc.column('device_id').doUpdateSet({ token_hash: tokenHash }))
    .execute()
}

export async function deleteDevice(trx: Db, deviceId: string): Promise<void> {
  await trx.deleteFrom('devices').where('device_id', '=', deviceId).execute()
}

export async function writeLastSeen(trx: Db, seen: ReadonlyMap<string, number>): Promise<void> {
  for (const [deviceId, at] of seen) await trx.updateTable('devices').set({ last_seen: at }).where('device_id', '=', deviceId).execute()
}

/** All or nothing with the rest of its transaction: the asset rows and the publication. */
export async function writePublication(trx: Db, publication: Publication, assets: ReadonlyMap<string, { path: string; size: number }>, deviceIds?: readonly string[]): Promise<void> {
  for (const [sha256, file] of assets) {
    await trx
      .insertInto('device_assets')
      .values({ sha256, path: file.path, size: file.size })
      .onConflict((oc) => oc.column('sha256').doUpdateSet({ path: file.path, size: file.size }))
      .execute()
  }
  const row = { version: publication.version, document: JSON.stringify(publication.document), published_at: publication.publishedAt }
  // A fleet publication replaces the per-device ones, as in memory.
  if (!deviceIds) await trx.deleteFrom('device_publications').execute()
  for (const target of deviceIds ?? [FLEET]) {
    await trx
      .insertInto('device_publications')
      .values({ target, ...row })
      .onConflict((oc) => oc.column('target').doUpdateSet(row))
      .execute()
  }
}

async function nextSeq(trx: Db, table: 'device_emergencies' | 'device_uptime' | 'device_uploads'): Promise<number> {
  const row = await trx
    .selectFrom(table)
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst()
  return Number(row?.seq ?? 0) + 1
}

export async function writeEmergency(trx: Db, record: EmergencyRecord): Promise<void> {
  const row = {
    seq: await nextSeq(trx, 'device_emergencies'),
    emergency: JSON.stringify(record.emergency),
    targets: record.targets === 'all' ? null : JSON.stringify([...record.targets]),
    cleared_for: JSON.stringify([...record.clearedFor]),
    cleared_for_all: record.clearedForAll ? 1 : 0,
    expires_at: Date.parse(record.emergency.expiresAt)
  }
  await trx
    .insertInto('device_emergencies')
    .values({ id: record.emergency.id, ...row })
    .onConflict((oc) => oc.column('id').doUpdateSet(row))
    .execute()
}

/** A clear is kept on its emergency's row, which outlives it: a board that comes back later still learns it is cleared. */
export async function writeClear(trx: Db, id: string, deviceIds?: readonly string[]): Promise<void> {
  const row = await trx.selectFrom('device_emergencies').select(['cleared_for']).where('id', '=', id).executeTakeFirst()
  if (!row) return
  if (!deviceIds) {
    await trx.updateTable('device_emergencies').set({ cleared_for_all: 1 }).where('id', '=', id).execute()
    return
  }
  const cleared = new Set([...(JSON.parse(row.cleared_for) as string[]), ...deviceIds])
  await trx.updateTable('device_emergencies').set({ cleared_for: JSON.stringify([...cleared]) }).where('id', '=', id).execute()
}

export async function writeCommand(trx: Db, command: Command, deviceIds?: readonly string[]): Promise<void> {
  await trx
    .insertInto('device_commands')
    .values({ id: command.id, kind: command.kind, command: JSON.stringify(command), targets: deviceIds ? JSON.stringify(deviceIds) : null, issued_at: Date.parse(command.issuedAt), result: null, result_at: null })
    .execute()
}

/** A board's answer to a command, kept per device on the command's row; a board the command was not for cannot write one. */
export async function writeCommandResult(trx: Db, deviceId: string, ack: { id: string }, at: number): Promise<void> {
  const row = await trx.selectFrom('device_commands').select(['targets', 'result']).where('id', '=', ack.id).executeTakeFirst()
  if (!row) return
  if (row.targets !== null && !(JSON.parse(row.targets) as string[]).includes(deviceId)) return
  const results = row.result === null ? {} : (JSON.parse(row.result) as Record<string, unknown>)
  results[deviceId] = ack
  await trx.updateTable('device_commands').set({ result: JSON.stringify(results), result_at: at }).where('id', '=', ack.id).execute()
}

export async function writeLog(trx: Db, kind: LogKind, record: { deviceId: string; receivedAt: number; bytes: number; valid: boolean; error?: string }, body: unknown, keep: number): Promise<void> {
  await trx
    .insertInto('device_log')
    .values({ kind, device_id: record.deviceId, received_at: record.receivedAt, body: JSON.stringify(body), bytes: record.bytes, valid: record.valid ? 1 : 0, error: record.error ?? null })
    .execute()
  await trx
    .deleteFrom('device_log')
    .where('kind', '=', kind)
    .where('device_id', '=', record.deviceId)
    .where('id', 'not in', (eb) => eb.selectFrom('device_log').select('id').where('kind', '=', kind).where('device_id', '=', record.deviceId).orderBy('id', 'desc').limit(keep))
    .execute()
}

/** A report and what it carries: plays (once each, kept for good), heartbeats (bounded history), uptime days. */
export async function writeReport(trx: Db, deviceId: string, report: ReportBody, bytes: number, now: number, limits: StorageLimits): Promise<void> {
  await writeLog(trx, 'report', { deviceId, receivedAt: now, bytes, valid: true }, report, limits.reports.count)
  switch (report.kind) {
    case 'plays': {
      for (const entry of report.batch.entries) {
        await trx
          .insertInto('device_plays')
          .values({ device_id: deviceId, play_id: entry.id, started_at: entry.startedAt, play: JSON.stringify(entry), received_at: now })
          .onConflict((oc) => oc.columns(['device_id', 'play_id']).doNothing())
          .execute()
      }
      await trx
        .updateTable('devices')
        .set((eb) => ({ dropped_plays: eb.fn('max', [eb.ref('dropped_plays'), eb.val(report.batch.dropped.entries)]) }))
        .where('device_id', '=', deviceId)
        .execute()
      break
    }
    case 'heartbeats': {
      for (const heartbeat of report.items) {
        await trx.insertInto('device_heartbeats').values({ device_id: deviceId, received_at: now, heartbeat: JSON.stringify(heartbeat) }).execute()
      }
      await trx
        .deleteFrom('device_heartbeats')
        .where('device_id', '=', deviceId)
        .where('id', 'not in', (eb) => eb.selectFrom('device_heartbeats').select('id').where('device_id', '=', deviceId).orderBy('id', 'desc').limit(HEARTBEAT_HISTORY))
        .execute()
      break
    }
    case 'uptime': {
      for (const day of report.days) {
        const row = { seq: await nextSeq(trx, 'device_uptime'), day: JSON.stringify(day) }
        await trx
          .insertInto('device_uptime')
          .values({ device_id: deviceId, date: day.date, ...row })
          .onConflict((oc) => oc.columns(['device_id', 'date']).doUpdateSet(row))
          .execute()
      }
      await trx
        .deleteFrom('device_uptime')
        .where('device_id', '=', deviceId)
        .where('date', 'not in', (eb) => eb.selectFrom('device_uptime').select('date').where('device_id', '=', deviceId).orderBy('seq', 'desc').limit(limits.uptimeDays))
        .execute()
      break
    }
  }
}

/** An upload's row (its bytes are already a file); returns the files of this device's uploads pruned beyond its bound. */
export async function writeUpload(trx: Db, row: { deviceId: string; uploadId: string; meta: unknown; path: string; size: number; receivedAt: number }, keep: number): Promise<string[]> {
  const values = { seq: await nextSeq(trx, 'device_uploads'), meta: JSON.stringify(row.meta), path: row.path, size: row.size, received_at: row.receivedAt }
  await trx
    .insertInto('device_uploads')
    .values({ device_id: row.deviceId, upload_id: row.uploadId, ...values })
    .onConflict((oc) => oc.columns(['device_id', 'upload_id']).doUpdateSet(values))
    .execute()
  const beyond = await trx.selectFrom('device_uploads').select(['upload_id', 'path']).where('device_id', '=', row.deviceId).orderBy('seq', 'desc').offset(keep).limit(-1).execute()
  for (const old of beyond) await trx.deleteFrom('device_uploads').where('device_id', '=', row.deviceId).where('upload_id', '=', old.upload_id).execute()
  return beyond.map((old) => old.path)
}

export async function writeSetting(trx: Db, key: string, value: string): Promise<void> {
  await trx
    .insertInto('device_settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}

export async function writeSealed(trx: Db, row: SealedRow): Promise<void> {
  const values = { content_key: row.contentKey, sealed_at: row.sealedAt, etag: row.etag, body: row.body }
  await trx
    .insertInto('device_sealed')
    .values({ device_id: row.deviceId, protocol: row.protocol, ...values })
    .onConflict((oc) => oc.columns(['device_id', 'protocol']).doUpdateSet(values))
    .execute()
}

export async function writePairing(trx: Db, pairing: Pairing): Promise<void> {
  await trx
    .insertInto('device_pairings')
    .values({ pairing_hash: pairing.pairingHash, token_hash: pairing.tokenHash, code: pairing.code, expires_at: pairing.expiresAt, address: pairing.address, approved: null })
    .onConflict((oc) => oc.column('pairing_hash').doNothing())
    .execute()
}

/** The approval and the device holding the token's hash, in one transaction: never one without the other. */
export async function writeApproval(trx: Db, pairing: Pairing, approved: { deviceId: string; boardName?: string }, now: number): Promise<void> {
  await writeDevice(trx, approved.deviceId, pairing.tokenHash, now)
  await trx.updateTable('device_pairings').set({ approved: JSON.stringify(approved) }).where('pairing_hash', '=', pairing.pairingHash).execute()
}

export async function deletePairing(trx: Db, pairingHash: string): Promise<void> {
  await trx.deleteFrom('device_pairings').where('pairing_hash', '=', pairingHash).execute()
}
