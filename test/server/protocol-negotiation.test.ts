// Signed documents v2 only for a board that asks: a v1 board keeps getting v1 documents, and a v2 document,
// were it sent to a v1 board anyway, fails every v1 schema (it is refused, never misread).
import { describe, expect, it } from 'vitest'
import { ADDRESSED_MEDIA_TYPE, ADDRESSED_SCHEMA, sealAddressed } from '../../main/core/protocol/addressed'
import { Command, EmergencyClear, paths } from '../../main/core/protocol/api'
import { Emergency, Manifest } from '../../main/core/protocol/manifest'
import { generateSigningKey } from '../../main/core/protocol/signing'
import { startTestServer } from '../../server/testing/test-server'

const KEY = generateSigningKey()

describe('protocol negotiation', () => {
  it('answers a v1 board with a v1 envelope and a v2 board with a document addressed to it', async () => {
    const server = await startTestServer({ port: 0, signingKey: { keyId: 'tinh', privateKeyPem: KEY.privateKeyPem } })
    try {
      const { token } = server.addDevice('bang-cu', 'token-bang-cu-0123456789')
      server.publish({ schema: 'bangtin.manifest/v1', version: 'v1', playlists: [], assets: [] }, new Map())
      const get = (accept: string) => fetch(`${server.url}${paths.manifest('bang-cu')}`, { headers: { authorization: `Bearer ${token}`, accept } })
      const v1 = await get('application/json')
      expect(v1.headers.get('content-type')).toBe('application/json')
      expect(Manifest.safeParse(JSON.parse(((await v1.json()) as { payload: string }).payload)).success).toBe(true)
      const v2 = await get(ADDRESSED_MEDIA_TYPE)
      expect(v2.headers.get('content-type')).toBe(ADDRESSED_MEDIA_TYPE)
      const addressed = JSON.parse(((await v2.json()) as { payload: string }).payload) as { schema: string; audience: unknown; kind: string }
      expect(addressed).toMatchObject({ schema: ADDRESSED_SCHEMA, kind: 'manifest', audience: { deviceIds: ['bang-cu'] } })
      expect(v1.headers.get('etag')).not.toBe(v2.headers.get('etag'))
    } finally {
      await server.close()
    }
  })

  it('a v2 document fails every v1 schema', () => {
    const now = Date.UTC(2026, 10, 30)
    const validity = { issuedAt: now, expiresAt: now + 60_000 }
    const at = new Date(now).toISOString()
    const bodies = {
      manifest: { schema: 'bangtin.manifest/v1', version: 'v1', playlists: [], assets: [] },
      emergency: { id: 'e', issuedAt: at, expiresAt: at, title: 'Bão' },
      'emergency-clear': { id: 'e', clearedAt: at, expiresAt: at },
      command: { id: 'c', kind: 'resync', issuedAt: at, expiresAt: at, args: {} }
    } as const
    const v1 = { manifest: Manifest, emergency: Emergency, 'emergency-clear': EmergencyClear, command: Command }
    for (const kind of Object.keys(bodies) as (keyof typeof bodies)[]) {
      expect(v1[kind].safeParse(bodies[kind]).success).toBe(true)
      expect(v1[kind].safeParse(sealAddressed(kind, { deviceIds: ['b'] }, bodies[kind], validity, null)).success).toBe(false)
    }
  })
})
