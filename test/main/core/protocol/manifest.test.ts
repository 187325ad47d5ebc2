import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManifestError, parseManifest } from '../../../../main/core/protocol/manifest'

import { MALFORMED, validManifest } from './malformed-manifests'

const demoPath = join(__dirname, '../../../../assets/demo/manifest.json')

describe('parseManifest', () => {
  it('accepts the bundled demo manifest', async () => {
    const manifest = parseManifest(JSON.parse(await readFile(demoPath, 'utf8')))
    expect(manifest.playlists[0]!.items.map((i) => i.kind)).toEqual(['text', 'image', 'video', 'text'])
    expect(manifest.layout.zones).toEqual([{ id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }])
  })

  it('fills defaults (layout, zone, priority, image fit, video muted)', () => {
    const manifest = parseManifest(validManifest())
    expect(manifest.playlists[0]).toMatchObject({ zone: 'main', priority: 'normal' })
    expect(manifest.playlists[0]!.items[0]).toMatchObject({ fit: 'contain' })
    expect(manifest.emergencies).toEqual([])
  })

  it(`has at least 30 hand-written malformed cases (${MALFORMED.length})`, () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(30)
  })

  it.each(MALFORMED)('rejects a manifest with %s, saying where', (_name, mutate) => {
    expect(() => parseManifest(mutate(validManifest()))).toThrow(ManifestError)
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
