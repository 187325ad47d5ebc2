// Stream routes: which upstream file a screen's /stream/<id>/<path> maps to, and what is refused.
import { describe, expect, it } from 'vitest'
import { parseManifest } from '../../../main/core/protocol/manifest'
import { StreamRoutes } from '../../../main/core/stream-routes'

const manifest = (url: string) =>
  parseManifest({
    schema: 'bangtin.manifest/v1',
    version: 'v',
    playlists: [{ id: 'p', name: 'p', items: [{ id: 'vtv', kind: 'stream', url, durationSec: 60 }] }],
    assets: []
  })

describe('StreamRoutes', () => {
  const routes = new StreamRoutes()
  routes.setManifest(manifest('https://tv.example.vn/kenh/live/index.m3u8?auth=1'), false)

  it('maps the screen path of a stream to its playlist, and segments under its folder', () => {
    expect(routes.screenPath('vtv')).toBe('/stream/vtv/index.m3u8')
    expect(routes.resolve('vtv/index.m3u8', '?auth=1')?.href).toBe('https://tv.example.vn/kenh/live/index.m3u8?auth=1')
    expect(routes.resolve('vtv/720p/seg-12.ts', '')?.href).toBe('https://tv.example.vn/kenh/live/720p/seg-12.ts')
  })

  it('adds the playlist URL’s own query (an access token) upstream without ever showing it to the screen', () => {
    expect(routes.screenPath('vtv')).not.toContain('auth')
    expect(routes.resolve('vtv/index.m3u8', '')?.href).toBe('https://tv.example.vn/kenh/live/index.m3u8?auth=1')
    expect(routes.resolve('vtv/720p/seg-12.ts', '')?.search).toBe('')
  })

  it.each([
    'vtv/../secret.m3u8',
    'vtv/..%2F..%2Fadmin',
    'vtv/%2e%2e/%2e%2e/etc/passwd',
    'vtv//evil.example/x.ts',
    'vtv/https://evil.example/x.ts',
    'vtv/',
    'khac/index.m3u8',
    'vtv',
    '%E0%A4%A/index.m3u8',
    'vtv/a\\..\\b.ts'
  ])('refuses %s', (path) => {
    expect(routes.resolve(path, '')).toBeNull()
  })

  it('proxies plain http streams only when the board allows insecure http', () => {
    const lab = new StreamRoutes()
    lab.setManifest(manifest('http://192.0.2.1/live.m3u8'), false)
    expect(lab.has('vtv')).toBe(false)
    lab.setManifest(manifest('http://192.0.2.1/live.m3u8'), true)
    expect(lab.has('vtv')).toBe(true)
  })
})
