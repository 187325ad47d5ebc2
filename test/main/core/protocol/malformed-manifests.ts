// Malformed manifests for parser and sync tests: each breaks exactly one thing in a small valid manifest.

const SHA = 'a'.repeat(64)

/** A small valid manifest; each malformed case below breaks exactly one thing in it. */
export function validManifest() {
  return {
    schema: 'bangtin.manifest/v1',
    version: 'v1',
    playlists: [
      {
        id: 'p',
        name: 'x',
        items: [
          { id: 'i', kind: 'image', asset: SHA, durationSec: 5 },
          { id: 't', kind: 'text', body: 'Thông báo', durationSec: 5, schedule: { weekdays: [1, 7], times: [{ from: '22:00', to: '06:00' }] } }
        ]
      }
    ],
    assets: [{ sha256: SHA, size: 10, mime: 'image/png', url: 'a.png' }]
  }
}
export type M = ReturnType<typeof validManifest>
const withItem = (m: M, item: object): M => ({ ...m, playlists: [{ ...m.playlists[0]!, items: [item as never] }] })
const withPlaylist = (m: M, patch: object): M => ({ ...m, playlists: [{ ...m.playlists[0]!, ...patch }] })
const withAsset = (m: M, patch: object): M => ({ ...m, assets: [{ ...m.assets[0]!, ...patch }] })
const image = { id: 'i', kind: 'image', asset: SHA, durationSec: 5 }

/** Hand-written malformed manifests: each must be refused with a ManifestError. */
export const MALFORMED: [string, (m: M) => unknown][] = [
  ['not an object', () => 'manifest'],
  ['null', () => null],
  ['an array', () => []],
  ['wrong schema', (m) => ({ ...m, schema: 'bangtin.manifest/v0' })],
  ['missing version', (m) => ({ ...m, version: undefined })],
  ['empty version', (m) => ({ ...m, version: '' })],
  ['playlists not an array', (m) => ({ ...m, playlists: {} })],
  ['missing assets', (m) => ({ ...m, assets: undefined })],
  ['unknown item kind', (m) => withItem(m, { id: 'x', kind: 'html', durationSec: 1 })],
  ['negative duration', (m) => withItem(m, { ...image, durationSec: -1 })],
  ['zero duration', (m) => withItem(m, { ...image, durationSec: 0 })],
  ['string duration', (m) => withItem(m, { ...image, durationSec: '5' })],
  ['duration over a day', (m) => withItem(m, { ...image, durationSec: 90000 })],
  ['id with a slash', (m) => withItem(m, { ...image, id: '../x' })],
  ['empty text body', (m) => withItem(m, { id: 't', kind: 'text', body: '', durationSec: 1 })],
  ['stream over ftp', (m) => withItem(m, { id: 's', kind: 'stream', url: 'ftp://x/live.m3u8', durationSec: 1 })],
  ['javascript: stream', (m) => withItem(m, { id: 's', kind: 'stream', url: 'javascript:alert(1)', durationSec: 1 })],
  ['uppercase hash', (m) => withAsset(m, { sha256: SHA.toUpperCase() })],
  ['short hash', (m) => withAsset(m, { sha256: 'abc' })],
  ['unlisted asset', (m) => ({ ...m, assets: [] })],
  ['duplicate item ids', (m) => withPlaylist(m, { items: [image, image] })],
  ['duplicate playlist ids', (m) => ({ ...m, playlists: [m.playlists[0], m.playlists[0]] })],
  ['unsupported mime', (m) => withAsset(m, { mime: 'text/html' })],
  ['zero size', (m) => withAsset(m, { size: 0 })],
  ['fractional size', (m) => withAsset(m, { size: 1.5 })],
  ['unknown priority', (m) => withPlaylist(m, { priority: 'urgent' })],
  ['zone missing from layout', (m) => withPlaylist(m, { zone: 'ticker' })],
  ['weekday 0', (m) => withPlaylist(m, { schedule: { weekdays: [0] } })],
  ['time 24:00', (m) => withPlaylist(m, { schedule: { times: [{ from: '08:00', to: '24:00' }] } })],
  ['time 7:5', (m) => withPlaylist(m, { schedule: { times: [{ from: '7:5', to: '09:00' }] } })],
  ['validFrom after validTo', (m) => withPlaylist(m, { schedule: { validFrom: '2026-12-01T00:00:00+07:00', validTo: '2026-11-01T00:00:00+07:00' } })],
  ['date without offset', (m) => withPlaylist(m, { schedule: { validFrom: '2026-12-01 00:00' } })],
  ['zone wider than the screen', (m) => ({ ...m, layout: { id: 'l', zones: [{ id: 'main', role: 'main', x: 0, y: 0, width: 1.5, height: 1 }] } })],
  ['unknown default playlist', (m) => ({ ...m, defaultPlaylist: 'nope' })],
  ['emergency without expiry', (m) => ({ ...m, emergencies: [{ id: 'e', issuedAt: '2026-11-21T00:00:00Z', title: 'Bão' }] })]
]
