import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManifestError, parseManifest } from '../../../../main/core/content/manifest'

const demoPath = join(__dirname, '../../../../assets/demo/manifest.json')
const demo = async (): Promise<Record<string, unknown>> => JSON.parse(await readFile(demoPath, 'utf8'))
const SHA = 'a'.repeat(64)

describe('parseManifest', () => {
  it('accepts the bundled demo manifest', async () => {
    const manifest = parseManifest(await demo())
    expect(manifest.playlist.items.map((i) => i.kind)).toEqual(['text', 'image', 'video', 'text'])
    expect(manifest.assets.every((a) => /^[0-9a-f]{64}$/.test(a.sha256))).toBe(true)
  })

  const base = () => ({
    schema: 'bangtin.manifest/v1',
    version: 'v1',
    playlist: { id: 'p', name: 'x', items: [{ id: 'i', kind: 'image', asset: SHA, durationSec: 5 }] },
    assets: [{ sha256: SHA, size: 10, mime: 'image/png', url: 'a.png' }]
  })

  it('fills defaults (image fit, video muted)', () => {
    const manifest = parseManifest(base())
    expect(manifest.playlist.items[0]).toMatchObject({ fit: 'contain' })
  })

  const broken: [string, (m: ReturnType<typeof base>) => unknown][] = [
    ['not an object', () => 'manifest'],
    ['null', () => null],
    ['wrong schema', (m) => ({ ...m, schema: 'bangtin.manifest/v0' })],
    ['missing version', (m) => ({ ...m, version: undefined })],
    ['empty version', (m) => ({ ...m, version: '' })],
    ['items not an array', (m) => ({ ...m, playlist: { ...m.playlist, items: {} } })],
    ['unknown item kind', (m) => ({ ...m, playlist: { ...m.playlist, items: [{ id: 'x', kind: 'html', durationSec: 1 }] } })],
    ['negative duration', (m) => ({ ...m, playlist: { ...m.playlist, items: [{ ...m.playlist.items[0], durationSec: -1 }] } })],
    ['zero duration', (m) => ({ ...m, playlist: { ...m.playlist, items: [{ ...m.playlist.items[0], durationSec: 0 }] } })],
    ['NaN-like duration', (m) => ({ ...m, playlist: { ...m.playlist, items: [{ ...m.playlist.items[0], durationSec: '5' }] } })],
    ['uppercase hash', (m) => ({ ...m, assets: [{ ...m.assets[0], sha256: SHA.toUpperCase() }] })],
    ['short hash', (m) => ({ ...m, assets: [{ ...m.assets[0], sha256: 'abc' }] })],
    ['unlisted asset', (m) => ({ ...m, assets: [] })],
    ['duplicate item ids', (m) => ({ ...m, playlist: { ...m.playlist, items: [m.playlist.items[0], m.playlist.items[0]] } })],
    ['unsupported mime', (m) => ({ ...m, assets: [{ ...m.assets[0], mime: 'text/html' }] })],
    ['zero size', (m) => ({ ...m, assets: [{ ...m.assets[0], size: 0 }] })],
    ['fractional size', (m) => ({ ...m, assets: [{ ...m.assets[0], size: 1.5 }] })],
    ['empty text body', (m) => ({ ...m, playlist: { ...m.playlist, items: [{ id: 't', kind: 'text', body: '', durationSec: 1 }] } })]
  ]

  it.each(broken)('rejects a manifest with %s, saying where', (_name, mutate) => {
    expect(() => parseManifest(mutate(base()))).toThrow(ManifestError)
  })

  it('throws nothing but ManifestError on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseManifest(value)
        } catch (error) {
          expect(error).toBeInstanceOf(ManifestError)
        }
      })
    )
  })
})
