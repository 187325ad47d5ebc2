// Attack findings 5 and 9 (wire): nothing a valid signed manifest carries can keep an emergency off the
// screen, and what the screen refuses is reported; a real core against the signed reference server on 127.0.0.1.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { checkHostMessage, MAX_PROGRAM_ITEMS, type HostMessage, type ScreenEmergency, type ShowPayload } from '../../contract/screen'
import { memoryLogger } from '../../main/core/log'
import { MAX_MANIFEST_BYTES } from '../../main/core/protocol/manifest'
import { generateSigningKey, signDocument } from '../../main/core/protocol/signing'
import { assemblePlayer, type PlayerParts } from '../../main/core/start-player'
import { startTestServer, type TestServer } from '../../server/testing/test-server'
import { MemoryScreenLink } from '../helpers/memory-link'
import { useTempDirs } from '../helpers/temp-dir'

const KEY = generateSigningKey()
const DEVICE = 'bang-day-01'
const DEMO = join(__dirname, '../../assets/demo')

/** `count` text items with ids from `prefix`. */
const texts = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, kind: 'text', title: `Tin ${i}`, body: `Bản tin số ${i}`, durationSec: 5 }))
const always = { validFrom: '2020-01-01T00:00:00Z' }

/**
 * What a screen holding only what it accepts would show: every host message checked against the contract
 * exactly as the renderer's bridges do; a refused one changes nothing (and is counted).
 */
function screenState(link: MemoryScreenLink): { show: ShowPayload | null; emergency: ScreenEmergency | null; refused: string[] } {
  let show: ShowPayload | null = null
  let emergency: ScreenEmergency | null = null
  const refused: string[] = []
  for (const sent of link.received as HostMessage[]) {
    const checked = checkHostMessage(sent.verb, sent.payload)
    if (!checked.ok) {
      refused.push(`${checked.verb}: ${checked.reason}`)
      continue
    }
    const { message } = checked
    if (message.verb === 'show') {
      show = message.payload
      // Before emergencies had their own message, the show carried the notice.
      const carried = (message.payload as { emergency?: ScreenEmergency | null }).emergency
      if (carried !== undefined) emergency = carried
    }
    if (message.verb === 'emergency') emergency = message.payload.emergency
  }
  return { show, emergency, refused }
}

describe('attack: the wire (findings 5 and 9)', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  }, 60_000)

  async function board(manifest: object): Promise<{ server: TestServer; player: PlayerParts; screen: MemoryScreenLink }> {
    const server = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem } })
    cleanup.push(() => server.close())
    const { token } = server.addDevice(DEVICE, 'token-bang-day-01-0123456789')
    server.publish(manifest, new Map())
    const dataDir = await tempDir()
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId: DEVICE, token, trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] }),
      // Holding a token: only its owner may read it, or the board ignores the token.
      { mode: 0o600 }
    )
    const player = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => `/media/${sha}`, log: memoryLogger() })
    cleanup.push(() => player.stop())
    const screen = new MemoryScreenLink()
    player.host.attach(screen)
    screen.fromScreen('ready', { userAgent: 'attack screen' })
    await expect.poll(() => player.content?.status.activeVersion, { timeout: 20_000 }).toBe((manifest as { version: string }).version)
    await expect.poll(() => player.session?.status.push, { timeout: 20_000 }).toBe('connected')
    return { server, player, screen }
  }

  const problems = (server: TestServer, kind: string) => () =>
    server.problems.map((p) => p.problem as { kind: string; detail: string }).filter((p) => p.kind === kind)

  it('a valid signed manifest with 1,001 items in a zone: the pushed emergency is on screen, the programme too, nothing refused', async () => {
    const manifest = { schema: 'bangtin.manifest/v1', version: 'nghin-le-mot', playlists: [{ id: 'p', name: 'p', items: texts('t', 1001) }], assets: [] }
    const { server, screen } = await board(manifest)
    const flood = server.emergency({ title: 'LŨ QUÉT – SƠ TÁN NGAY', body: 'Di chuyển lên vùng cao.', ttlSec: 600 }) as { id: string }
    await expect.poll(() => screenState(screen).emergency?.id, { timeout: 20_000 }).toBe(flood.id)
    const state = screenState(screen)
    expect(state.refused).toEqual([])
    expect(state.show?.zones[0]?.program?.items).toHaveLength(1001)
  }, 60_000)

  it('a zone merging more items than the screen takes: cut to the contract, reported, and the emergency still on screen', async () => {
    const manifest = {
      schema: 'bangtin.manifest/v1',
      version: 'hai-muoi-nghin',
      playlists: [
        { id: 'a', name: 'a', schedule: always, items: texts('a', 10_000) },
        { id: 'b', name: 'b', schedule: always, items: texts('b', 10_000) }
      ],
      assets: []
    }
    const { server, screen } = await board(manifest)
    const flood = server.emergency({ title: 'LŨ QUÉT – SƠ TÁN NGAY', ttlSec: 600 }) as { id: string }
    await expect.poll(() => screenState(screen).emergency?.id, { timeout: 20_000 }).toBe(flood.id)
    const state = screenState(screen)
    expect(state.refused).toEqual([])
    expect(state.show?.zones[0]?.program?.items).toHaveLength(MAX_PROGRAM_ITEMS)
    await expect.poll(problems(server, 'screen-refused'), { timeout: 20_000 }).toContainEqual(expect.objectContaining({ detail: expect.stringMatching(/20000 items/) }))
  }, 60_000)

  it('text that NFC makes longer than the contract takes: cut, never a show the screen refuses', async () => {
    // U+FB2C is one code unit that NFC writes as three: a 20,000-character body becomes 60,000.
    const body = '\uFB2C'.repeat(20_000)
    const manifest = {
      schema: 'bangtin.manifest/v1',
      version: 'nfc',
      playlists: [{ id: 'p', name: 'p', items: [{ id: 'dai', kind: 'text', body, durationSec: 5 }] }],
      emergencies: [],
      assets: []
    }
    const { server, screen } = await board(manifest)
    const flood = server.emergency({ title: 'Bão', body, ttlSec: 600 }) as { id: string }
    await expect.poll(() => screenState(screen).emergency?.id, { timeout: 20_000 }).toBe(flood.id)
    const state = screenState(screen)
    expect(state.refused).toEqual([])
    expect(state.show?.zones[0]?.program?.items[0]).toMatchObject({ id: 'dai' })
  }, 60_000)

  it('a manifest version and zone id at their limits: the programme version stays within the contract, the show is taken', async () => {
    const version = `v${'9'.repeat(199)}`
    const zone = `z${'9'.repeat(199)}`
    const manifest = {
      schema: 'bangtin.manifest/v1',
      version,
      layout: { id: 'l', zones: [{ id: zone, role: 'main', x: 0, y: 0, width: 1, height: 1 }] },
      playlists: [{ id: 'p', name: 'p', zone, items: texts('t', 2) }],
      assets: []
    }
    const { server, screen } = await board(manifest)
    const flood = server.emergency({ title: 'Bão', ttlSec: 600 }) as { id: string }
    await expect.poll(() => screenState(screen).emergency?.id, { timeout: 20_000 }).toBe(flood.id)
    const state = screenState(screen)
    expect(state.refused).toEqual([])
    expect(state.show?.zones[0]?.program?.version.length).toBeLessThanOrEqual(200)
    expect(state.show?.zones[0]?.program?.items).toHaveLength(2)
  }, 60_000)

  it('whatever the screen refuses is reported to the source system, never silent', async () => {
    const manifest = { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: texts('t', 2) }], assets: [] }
    const { server, screen } = await board(manifest)
    screen.fromScreen('rejected', { verb: 'show', reason: 'zones.0.program.items: Too big' })
    await expect.poll(problems(server, 'screen-refused'), { timeout: 20_000 }).toContainEqual(
      expect.objectContaining({ detail: expect.stringMatching(/the screen refused: show: zones.0.program.items: Too big/) })
    )
  }, 60_000)
})

/** 16 MiB (less two bytes, within the manifest's size limit) of `[[[[…]]]]`: valid JSON, 8 Mi levels deep. */
function nestingBomb(): string {
  const half = MAX_MANIFEST_BYTES / 2 - 1
  return '['.repeat(half) + ']'.repeat(half)
}

/** Records the length of every text JSON.parse is given while `run` runs (JSON.parse itself still runs). */
async function parsedLengths(run: () => Promise<void>): Promise<number[]> {
  const lengths: number[] = []
  const real = JSON.parse
  const spy = vi.spyOn(JSON, 'parse').mockImplementation((text: string, reviver?: Parameters<typeof JSON.parse>[1]) => {
    lengths.push(String(text).length)
    return real(text, reviver)
  })
  try {
    await run()
  } finally {
    spy.mockRestore()
  }
  return lengths
}

describe('attack: 16 MiB of nested JSON (finding 9)', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function playing(): Promise<{ server: TestServer; player: PlayerParts }> {
    const server = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem } })
    cleanup.push(() => server.close())
    const { token } = server.addDevice(DEVICE, 'token-bang-day-01-0123456789')
    server.publish({ schema: 'bangtin.manifest/v1', version: 'v1', playlists: [{ id: 'p', name: 'p', items: texts('t', 2) }], assets: [] }, new Map())
    const dataDir = await tempDir()
    await writeFile(
      join(dataDir, 'config.json'),
      JSON.stringify({ serverUrl: server.url, allowInsecureHttp: true, deviceId: DEVICE, token, trustedKeys: [{ keyId: 'tinh', publicKey: KEY.publicKeyPem }] }),
      // Holding a token: only its owner may read it, or the board ignores the token.
      { mode: 0o600 }
    )
    const player = await assemblePlayer({ dataDir, bundledContentDir: DEMO, mediaUrl: (sha) => `/media/${sha}`, log: memoryLogger() })
    cleanup.push(() => player.stop())
    await expect.poll(() => player.content?.status.activeVersion, { timeout: 20_000 }).toBe('v1')
    return { server, player }
  }
  const problems = (server: TestServer) => () => server.problems.map((p) => p.problem as { kind: string; detail: string })

  it('a manifest body nested 8 Mi levels deep is refused by its shape, never given to JSON.parse, and reported; v1 keeps playing', async () => {
    const { server, player } = await playing()
    const bomb = nestingBomb()
    server.overrideManifestBody(bomb)
    const lengths = await parsedLengths(async () => {
      await player.content!.syncNow('attack')
      await expect.poll(problems(server), { timeout: 20_000 }).toContainEqual({ kind: 'manifest-invalid', detail: expect.stringMatching(/nested deeper than 32 levels/), at: expect.any(String) })
    })
    expect(lengths.filter((length) => length >= bomb.length)).toEqual([])
    expect(player.content?.status.activeVersion).toBe('v1')
  }, 60_000)

  it('a signed envelope whose payload is the bomb, with a signature that does not match: refused on the bytes, the payload never parsed', async () => {
    const { server, player } = await playing()
    const bomb = nestingBomb()
    // A hundred levels fewer on each side, so the envelope around it fits the size limit; still millions deep.
    const payload = bomb.slice(100, bomb.length - 100)
    const { keyId, signature } = signDocument({ schema: 'bangtin.manifest/v1' }, 'tinh', KEY.privateKeyPem)
    const body = JSON.stringify({ payload, keyId, signature })
    server.overrideManifestBody(body)
    const lengths = await parsedLengths(async () => {
      await player.content!.syncNow('attack')
      await expect.poll(problems(server), { timeout: 20_000 }).toContainEqual(expect.objectContaining({ kind: 'signature-refused' }))
    })
    // The envelope (a few fields, one long string) is parsed; the document inside it never is.
    expect(lengths.filter((length) => length === payload.length)).toEqual([])
    expect(player.content?.status.activeVersion).toBe('v1')
  }, 60_000)
})
