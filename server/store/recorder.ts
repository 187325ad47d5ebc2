// The one way the reference server changes its device-side working set. In memory (tests, demos) a
// change applies at once. With a database it is committed first and applied after (write-ahead, see
// commit-queue.ts): each method returns the promise of that, which the HTTP handlers await before they
// answer, so nothing is acknowledged — and no board sees anything — that a kill -9 could take back.
import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { Ack, Command, ReportBody } from '../../main/core/protocol/api'
import type { Db } from '../db/database'
import type { PreparedPublication } from '../content'
import type { Pairing } from '../pairing'
import { tokenHash, type AckRecord, type AssetSource, type EmergencyRecord, type ProblemRecord, type ServerState, type UploadRecord } from '../state'
import { CommitQueue, type Change } from './commit-queue'
import { MediaFolder, writeAtomically } from './files'
import type { SealedRow } from './sealed'
import * as writes from './writes'

export interface Recorder {
  /** Resolves when every change made so far is committed (at once in memory); rejects if one failed. */
  durable(): Promise<void>
  /** `then` learns the token hash the device had before (to drop the sockets an old token opened). */
  addDevice(deviceId: string, token: string, now: number, then?: (previousTokenHash: string | undefined) => void): Promise<void>
  removeDevice(deviceId: string): Promise<void>
  /** A pairing request (the board's code shown): kept so a restart does not lose it. */
  pairingStarted(pairing: Pairing): Promise<void>
  /** Approval: the device (with the hash of the token the board will collect) and the approval, together. */
  approvePairing(pairing: Pairing, approved: { deviceId: string; boardName?: string }, now: number, then: (previousTokenHash: string | undefined) => void): Promise<void>
  pairingRemoved(pairingHash: string): void
  /** Last seen: kept in memory at once, written lazily (it acknowledges nothing). */
  touch(deviceId: string, now: number): void
  publish(prepared: PreparedPublication, deviceIds: readonly string[] | undefined, then: () => void): Promise<void>
  emergency(record: EmergencyRecord, now: number, then: () => void): Promise<void>
  clearEmergency(id: string, deviceIds: readonly string[] | undefined, then: () => void): Promise<void>
  command(command: Command, deviceIds: readonly string[] | undefined, then: () => void): Promise<void>
  ack(record: AckRecord): Promise<void>
  problem(record: ProblemRecord): Promise<void>
  report(deviceId: string, report: ReportBody, bytes: number, now: number): Promise<void>
  upload(record: UploadRecord): Promise<void>
  /** A newly sealed manifest: kept so a restart serves the same bytes and ETag (nothing waits for it). */
  keepSealed(row: SealedRow): void
}

/** Where the durable store keeps its files. */
export interface StoreLocation {
  db: Db
  /** The data dir: media under DATA/media, uploads under DATA/uploads. */
  dataDir: string
}

/** Today's behaviour: change the working set now. */
export function memoryRecorder(state: ServerState): Recorder {
  const done = Promise.resolve()
  return {
    durable: () => done,
    addDevice(deviceId, token, now, then) {
      const previous = state.devices.get(deviceId)?.tokenHash
      state.addDevice(deviceId, token, now)
      then?.(previous)
      return done
    },
    removeDevice(deviceId) {
      state.removeDevice(deviceId)
      return done
    },
    pairingStarted: () => done,
    approvePairing(pairing, approved, now, then) {
      const previous = state.devices.get(approved.deviceId)?.tokenHash
      state.addDeviceHashed(approved.deviceId, pairing.tokenHash, now)
      then(previous)
      return done
    },
    pairingRemoved: () => undefined,
    touch: (deviceId, now) => state.touch(deviceId, now),
    publish({ publication, files }, deviceIds, then) {
      for (const [sha, source] of files) state.assets.set(sha, source)
      state.setPublication(publication, deviceIds)
      then()
      return done
    },
    emergency(record, now, then) {
      state.addEmergency(record, now)
      then()
      return done
    },
    clearEmergency(id, deviceIds, then) {
      state.clearEmergency(id, deviceIds)
      then()
      return done
    },
    command(_command, _deviceIds, then) {
      then()
      return done
    },
    ack(record) {
      state.acks.add(record)
      return done
    },
    problem(record) {
      state.problems.add(record)
      return done
    },
    report(deviceId, report, bytes, now) {
      state.storeReport(deviceId, report, bytes, now)
      return done
    },
    upload(record) {
      state.storeUpload(record)
      return done
    },
    keepSealed: () => undefined
  }
}

const LAST_SEEN_FLUSH_MS = 5_000

function uploadPath(dataDir: string, deviceId: string, uploadId: string): string {
  const name = createHash('sha256').update(`${deviceId}/${uploadId}`).digest('hex')
  return join(dataDir, 'uploads', name.slice(0, 2), name)
}

/** Write-ahead into the database. `close()` flushes last-seen times and waits for what is queued. */
export function durableRecorder(state: ServerState, location: StoreLocation): Recorder & { close(): Promise<void> } {
  const queue = new CommitQueue(location.db)
  const media = new MediaFolder(join(location.dataDir, 'media'))
  const limits = state.limits
  const seen = new Map<string, number>()
  let timer: NodeJS.Timeout | null = null
  const submit = (change: Change) => queue.submit(change)
  const flushSeen = (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = null
    if (seen.size === 0) return Promise.resolve()
    const batch = new Map(seen)
    seen.clear()
    return submit({ write: (trx) => writes.writeLastSeen(trx, batch), apply: () => undefined })
  }
  return {
    durable: () => queue.durable(),
    async close() {
      await flushSeen().catch(() => undefined)
      await queue.durable().catch(() => undefined)
    },
    addDevice(deviceId, token, now, then) {
      const hash = tokenHash(token)
      return submit({
        write: (trx) => writes.writeDevice(trx, deviceId, hash, now),
        apply: () => {
          const previous = state.devices.get(deviceId)?.tokenHash
          state.addDeviceHashed(deviceId, hash, now)
          then?.(previous)
        }
      })
    },
    pairingStarted(pairing) {
      return submit({ write: (trx) => writes.writePairing(trx, pairing), apply: () => undefined })
    },
    approvePairing(pairing, approved, now, then) {
      return submit({
        write: (trx) => writes.writeApproval(trx, pairing, approved, now),
        apply: () => {
          const previous = state.devices.get(approved.deviceId)?.tokenHash
          state.addDeviceHashed(approved.deviceId, pairing.tokenHash, now)
          then(previous)
        }
      })
    },
    pairingRemoved(pairingHash) {
      void submit({ write: (trx) => writes.deletePairing(trx, pairingHash), apply: () => undefined }).catch(() => undefined)
    },
    removeDevice(deviceId) {
      return submit({ write: (trx) => writes.deleteDevice(trx, deviceId), apply: () => void state.removeDevice(deviceId) })
    },
    touch(deviceId, now) {
      state.touch(deviceId, now)
      if (!state.devices.has(deviceId)) return
      seen.set(deviceId, now)
      timer ??= setTimeout(() => void flushSeen().catch(() => undefined), LAST_SEEN_FLUSH_MS)
      timer.unref()
    },
    publish({ publication, files }, deviceIds, then) {
      const stored = new Map<string, { path: string; size: number }>()
      return submit({
        // Every file whole under its final name first; then the publication and its asset rows in one transaction.
        prepare: async () => {
          for (const [sha, source] of files) stored.set(sha, await media.put(sha, source))
        },
        // Rows hold paths relative to the data dir, so a restored backup works wherever it is put.
        write: (trx) => writes.writePublication(trx, publication, new Map([...stored].map(([sha, file]) => [sha, { path: relative(location.dataDir, file.path), size: file.size }])), deviceIds),
        apply: () => {
          for (const [sha, file] of stored) state.assets.set(sha, { kind: 'file', path: file.path, size: file.size } satisfies AssetSource)
          state.setPublication(publication, deviceIds)
          then()
        }
      })
    },
    emergency(record, now, then) {
      return submit({
        write: (trx) => writes.writeEmergency(trx, record),
        apply: () => {
          state.addEmergency(record, now)
          then()
        }
      })
    },
    clearEmergency(id, deviceIds, then) {
      return submit({
        write: (trx) => writes.writeClear(trx, id, deviceIds),
        apply: () => {
          state.clearEmergency(id, deviceIds)
          then()
        }
      })
    },
    command(command, deviceIds, then) {
      return submit({ write: (trx) => writes.writeCommand(trx, command, deviceIds), apply: then })
    },
    ack(record) {
      const ack = record.valid ? (record.ack as Ack) : null
      return submit({
        write: async (trx) => {
          await writes.writeLog(trx, 'ack', record, record.ack, limits.acks.count)
          if (ack?.kind === 'command') await writes.writeCommandResult(trx, record.deviceId, ack, record.receivedAt)
        },
        apply: () => state.acks.add(record)
      })
    },
    problem(record) {
      return submit({ write: (trx) => writes.writeLog(trx, 'problem', record, record.problem, limits.problems.count), apply: () => state.problems.add(record) })
    },
    report(deviceId, report, bytes, now) {
      return submit({ write: (trx) => writes.writeReport(trx, deviceId, report, bytes, now, limits), apply: () => state.storeReport(deviceId, report, bytes, now) })
    },
    keepSealed(row) {
      void submit({ write: (trx) => writes.writeSealed(trx, row), apply: () => undefined }).catch(() => undefined)
    },
    upload(record) {
      const path = uploadPath(location.dataDir, record.deviceId, record.meta.id)
      let pruned: string[] = []
      return submit({
        prepare: async () => void (await writeAtomically(path, [record.bytes])),
        write: async (trx) => {
          pruned = await writes.writeUpload(trx, { deviceId: record.deviceId, uploadId: record.meta.id, meta: record.meta, path: relative(location.dataDir, path), size: record.bytes.length, receivedAt: record.receivedAt }, limits.uploads.count)
        },
        apply: () => {
          state.storeUpload(record)
          // After the commit: a file whose row is gone is only garbage, a row whose file is gone would be a lie.
          for (const old of pruned) if (join(location.dataDir, old) !== path) void rm(join(location.dataDir, old), { force: true })
        }
      })
    }
  }
}
