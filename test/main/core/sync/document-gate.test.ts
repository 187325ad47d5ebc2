// The document gate on its own, with real signatures and a real state file: kind, audience (board or group),
// expiry, order per kind kept across a restart, and v1 documents only in a lab; signatures through the board's
// ContentTrust (fail-closed without a key, a key pinned at pairing, lab mode).
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { sealAddressed, type Audience, type DocumentKind } from '../../../../main/core/protocol/addressed'
import { generateSigningKey, signDocument } from '../../../../main/core/protocol/signing'
import { ContentTrust } from '../../../../main/core/sync/content-trust'
import { DocumentGate } from '../../../../main/core/sync/document-gate'
import { BoardClock } from '../../../../main/core/time/board-clock'
import { useTempDirs } from '../../../helpers/temp-dir'

const KEY = generateSigningKey()
const SIGNER = { keyId: 'tinh', privateKey: KEY.privateKeyPem }
const PROVINCE = [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }]
const NOW = Date.UTC(2026, 10, 30, 3, 0)
const MIN = 60_000

describe('DocumentGate', () => {
  const tempDir = useTempDirs()

  async function gateAt(dir: string, options: { wall?: number; trust?: ContentTrust } = {}) {
    const clock = new BoardClock({ wall: () => options.wall ?? NOW, mono: () => 0 })
    const gate = new DocumentGate({ stateDir: dir, trust: options.trust ?? new ContentTrust(PROVINCE, false), deviceId: () => 'bang-a', groups: ['xa-a'], clock, log: memoryLogger() })
    await gate.load()
    return { gate, clock }
  }
  const doc = (kind: DocumentKind, audience: Audience, issuedAt: number, expiresAt = issuedAt + 60 * MIN) => sealAddressed(kind, audience, { hello: kind }, { issuedAt, expiresAt }, SIGNER)
  const reason = (fn: () => unknown) => {
    try {
      fn()
      return 'accepted'
    } catch (error) {
      return (error as { reason?: string }).reason ?? String(error)
    }
  }

  it('takes a document addressed to the board or to one of its groups, and nothing addressed elsewhere', async () => {
    const { gate } = await gateAt(await tempDir())
    expect(gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - MIN), 'manifest').body).toEqual({ hello: 'manifest' })
    expect(reason(() => gate.open(doc('command', { groups: ['xa-a'] }, NOW - MIN), 'command'))).toBe('accepted')
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-b'] }, NOW), 'manifest'))).toBe('misaddressed')
    expect(reason(() => gate.open(doc('command', { groups: ['xa-b'] }, NOW), 'command'))).toBe('misaddressed')
  })

  it('never takes a document of one kind as another', async () => {
    const { gate } = await gateAt(await tempDir())
    expect(reason(() => gate.open(doc('command', { deviceIds: ['bang-a'] }, NOW - MIN), 'emergency'))).toBe('misaddressed')
  })

  it('refuses an expired document, and an older manifest or command than one already taken, also after a restart', async () => {
    const dir = await tempDir()
    const { gate } = await gateAt(dir)
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - 90 * MIN, NOW - 30 * MIN), 'manifest'))).toBe('expired')
    gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - MIN), 'manifest')
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - 2 * MIN), 'manifest'))).toBe('stale')
    // The same document again is no rollback (a server answering twice in one millisecond).
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - MIN), 'manifest'))).toBe('accepted')
    // Emergencies are not ordered: two warnings may arrive in either order.
    gate.open(doc('emergency', { deviceIds: ['bang-a'] }, NOW - MIN), 'emergency')
    expect(reason(() => gate.open(doc('emergency', { deviceIds: ['bang-a'] }, NOW - 5 * MIN), 'emergency'))).toBe('accepted')
    await gate.flushed()

    // Restarted with a clock reading 1970: the marks on disk still refuse the older manifest, and bound the clock.
    const again = await gateAt(dir, { wall: 5_000 })
    expect(again.gate.highWaterOf('manifest')).toBe(NOW - MIN)
    expect(reason(() => again.gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - 2 * MIN), 'manifest'))).toBe('stale')
    expect(again.clock.passedMs()).toBeGreaterThanOrEqual(NOW - MIN)
    expect(reason(() => again.gate.open(doc('emergency', { deviceIds: ['bang-a'] }, NOW - 90 * MIN, NOW - 30 * MIN), 'emergency'))).toBe('expired')
  })

  it('a signed document whose body fails its schema moves no mark', async () => {
    const { gate } = await gateAt(await tempDir())
    const broken = () => {
      throw new Error('invalid manifest')
    }
    expect(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - MIN), 'manifest', broken)).toThrow('invalid manifest')
    expect(gate.highWaterOf('manifest')).toBeNull()
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - 2 * MIN), 'manifest'))).toBe('accepted')
  })

  it('refuses a protocol v1 document when it holds keys, and takes a bare one in a lab', async () => {
    const { gate } = await gateAt(await tempDir())
    expect(reason(() => gate.open(signDocument({ schema: 'bangtin.manifest/v1' }, 'tinh', KEY.privateKeyPem), 'manifest'))).toBe('unaddressed')
    const lab = await gateAt(await tempDir(), { trust: new ContentTrust([], true) })
    expect(lab.gate.open({ schema: 'bangtin.manifest/v1' }, 'manifest')).toEqual({ body: { schema: 'bangtin.manifest/v1' } })
  })

  it('checks signatures through the board trust: no key and no lab mode takes nothing, not even a signed v2 document', async () => {
    const { gate } = await gateAt(await tempDir(), { trust: new ContentTrust([], false) })
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - MIN), 'manifest'))).toBe('unknown-key')
    expect(reason(() => gate.open({ schema: 'bangtin.manifest/v1' }, 'manifest'))).toBe('unsigned')
    expect(gate.highWaterOf('manifest')).toBeNull()
  })

  it('takes documents signed by the key pinned at pairing once it is pinned', async () => {
    const trust = new ContentTrust([], false)
    const { gate } = await gateAt(await tempDir(), { trust })
    expect(reason(() => gate.open(doc('command', { deviceIds: ['bang-a'] }, NOW - MIN), 'command'))).toBe('unknown-key')
    trust.pin(PROVINCE)
    expect(reason(() => gate.open(doc('command', { deviceIds: ['bang-a'] }, NOW - MIN), 'command'))).toBe('accepted')
  })

  it('in lab mode still checks a v2 document addressed elsewhere, expired or forged under a trusted key', async () => {
    const { gate } = await gateAt(await tempDir(), { trust: new ContentTrust(PROVINCE, true) })
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-b'] }, NOW - MIN), 'manifest'))).toBe('misaddressed')
    expect(reason(() => gate.open(doc('manifest', { deviceIds: ['bang-a'] }, NOW - 90 * MIN, NOW - 30 * MIN), 'manifest'))).toBe('expired')
    // A document for another board, re-addressed to this one: the signature no longer holds, lab or not.
    const sealed = doc('manifest', { deviceIds: ['bang-b'] }, NOW - MIN) as { payload: string }
    expect(reason(() => gate.open({ ...sealed, payload: sealed.payload.replace('bang-b', 'bang-a') }, 'manifest'))).toBe('bad-signature')
    expect(gate.highWaterOf('manifest')).toBeNull()
  })
})
