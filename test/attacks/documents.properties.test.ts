// Properties of the board's document gate and emergency store (real files, real signatures): no sequence of
// replayed, reordered, foreign or expired signed documents, restarts (with a clock reading 1970) included,
// ever makes the board take content older than its high-water mark or show an emergency it has seen cleared.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EmergencyStore } from '../../main/core/emergency/emergency-store'
import { memoryLogger } from '../../main/core/log'
import { sealAddressed, type Audience } from '../../main/core/protocol/addressed'
import { EmergencyClear } from '../../main/core/protocol/api'
import { Emergency } from '../../main/core/protocol/manifest'
import { generateSigningKey } from '../../main/core/protocol/signing'
import { ContentTrust } from '../../main/core/sync/content-trust'
import { DocumentGate } from '../../main/core/sync/document-gate'
import { BoardClock } from '../../main/core/time/board-clock'

const KEY = generateSigningKey()
const TRUST = new ContentTrust([{ keyId: 'tinh', publicKey: KEY.publicKeyPem }], false)
const SIGNER = { keyId: 'tinh', privateKey: KEY.privateKeyPem }
const BASE = Date.UTC(2026, 10, 30, 2, 0)
const MIN = 60_000
const BOARD = 'bang-a'
const GROUPS = ['xa-a']
const AUDIENCES: Record<string, Audience> = {
  board: { deviceIds: [BOARD] },
  group: { groups: ['xa-a'] },
  other: { deviceIds: ['bang-b'] },
  otherGroup: { groups: ['xa-b'] }
}
const ours = (to: string) => to === 'board' || to === 'group'

const DocSpec = fc.record({
  kind: fc.constantFrom('manifest' as const, 'emergency' as const, 'emergency-clear' as const),
  atMin: fc.integer({ min: 0, max: 240 }),
  ttlMin: fc.integer({ min: 1, max: 180 }),
  to: fc.constantFrom('board', 'board', 'group', 'other', 'otherGroup'),
  /** For a clear: which document it clears (an emergency's index, taken modulo). */
  clears: fc.nat()
})
const Op = fc.oneof(
  fc.record({ op: fc.constant('deliver' as const), doc: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('advance' as const), min: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ op: fc.constant('restart' as const), wall1970: fc.boolean() })
)

interface Doc {
  kind: 'manifest' | 'emergency' | 'emergency-clear'
  issuedAt: number
  expiresAt: number
  to: string
  raw: unknown
  id: string
}

type DocSpecValue = typeof DocSpec extends fc.Arbitrary<infer T> ? T : never

function buildDocs(specs: DocSpecValue[]): Doc[] {
  const docs: Doc[] = []
  specs.forEach((spec, i) => {
    const issuedAt = BASE + spec.atMin * MIN
    const expiresAt = issuedAt + spec.ttlMin * MIN
    const id = `d${i}`
    let body: unknown
    let validity = { issuedAt, expiresAt }
    if (spec.kind === 'manifest') body = { schema: 'bangtin.manifest/v1', version: id, playlists: [], assets: [] }
    else if (spec.kind === 'emergency') body = Emergency.parse({ id, issuedAt: new Date(issuedAt).toISOString(), expiresAt: new Date(expiresAt).toISOString(), title: `Cảnh báo ${i}` })
    else {
      const emergencies = docs.filter((d) => d.kind === 'emergency')
      const target = emergencies.length > 0 ? emergencies[spec.clears % emergencies.length]! : null
      const clearedId = target?.id ?? 'none'
      // A clear message lives 5 minutes; it states how long the emergency it ends would have lived.
      validity = { issuedAt: Math.max(issuedAt, target?.issuedAt ?? 0), expiresAt: Math.max(issuedAt, target?.issuedAt ?? 0) + 5 * MIN }
      body = EmergencyClear.parse({
        id: clearedId,
        clearedAt: new Date(validity.issuedAt).toISOString(),
        expiresAt: new Date(validity.expiresAt).toISOString(),
        ...(target ? { until: new Date(target.expiresAt).toISOString() } : {})
      })
    }
    const kind = spec.kind
    docs.push({ kind, issuedAt: validity.issuedAt, expiresAt: validity.expiresAt, to: spec.to, raw: sealAddressed(kind, AUDIENCES[spec.to]!, body, validity, SIGNER), id })
  })
  return docs
}

describe('property: replayed, reordered, foreign and expired documents', () => {
  it('never take the board below its high-water mark, to another board’s content, or back to a cleared emergency', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(DocSpec, { minLength: 1, maxLength: 8 }), fc.array(Op, { minLength: 1, maxLength: 30 }), async (specs, ops) => {
        const dir = await mkdtemp(join(tmpdir(), 'gate-prop-'))
        try {
          const docs = buildDocs(specs)
          const log = memoryLogger()
          let t = BASE
          const boot = async (wall1970: boolean) => {
            const clock = new BoardClock({ wall: () => (wall1970 ? t - BASE + 300_000 : t), mono: () => t })
            const gate = new DocumentGate({ stateDir: dir, trust: TRUST, deviceId: () => BOARD, groups: GROUPS, clock, log })
            await gate.load()
            const store = new EmergencyStore(dir, log, { clock })
            await store.load()
            return { clock, gate, store }
          }
          let board = await boot(false)
          let newestManifest = -Infinity
          let newestSigned = -Infinity
          const cleared = new Set<string>()
          const foreign = new Set(docs.filter((d) => !ours(d.to)).map((d) => d.id))
          for (const op of ops) {
            if (op.op === 'advance') t += op.min * MIN
            else if (op.op === 'restart') {
              await board.gate.flushed()
              board = await boot(op.wall1970)
            } else {
              const doc = docs[op.doc % docs.length]!
              // A document exists once issued: the attacker replays the past, the world moves on.
              t = Math.max(t, doc.issuedAt)
              let body: unknown
              try {
                body = board.gate.open(doc.raw, doc.kind).body
              } catch {
                continue
              }
              expect(ours(doc.to)).toBe(true)
              // Accepted: unexpired as far as the board can know, whatever its wall clock says.
              expect(doc.expiresAt).toBeGreaterThan(newestSigned)
              if (doc.kind === 'manifest') {
                expect(doc.issuedAt).toBeGreaterThanOrEqual(newestManifest)
                newestManifest = doc.issuedAt
              } else if (doc.kind === 'emergency') await board.store.start(Emergency.parse(body)).saved
              else {
                const clear = EmergencyClear.parse(body)
                cleared.add(clear.id)
                await board.store.clear(clear.id, clear.until ?? clear.expiresAt)
              }
              newestSigned = Math.max(newestSigned, doc.issuedAt)
            }
            for (const emergency of board.store.active()) {
              expect(cleared.has(emergency.id)).toBe(false)
              expect(foreign.has(emergency.id)).toBe(false)
            }
          }
          await board.gate.flushed()
        } finally {
          await rm(dir, { recursive: true, force: true })
        }
      }),
      // The example is finding 2 as reported: an emergency, its clear, then the emergency replayed.
      { numRuns: 100, examples: [[[{ kind: 'emergency', atMin: 0, ttlMin: 60, to: 'board', clears: 0 }, { kind: 'emergency-clear', atMin: 1, ttlMin: 1, to: 'board', clears: 0 }], [{ op: 'deliver', doc: 0 }, { op: 'deliver', doc: 1 }, { op: 'deliver', doc: 0 }]]] }
    )
  }, 120_000)
})
