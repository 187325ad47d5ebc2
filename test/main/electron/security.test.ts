// Navigation, window.open, <webview> and permission denials, and the pure app-URL check behind them.
import { describe, expect, it } from 'vitest'
import type { Session, WebContents } from 'electron'
import { memoryLogger } from '../../../main/core/log'
import { denyAllPermissions, hardenWebContents, isAppUrl } from '../../../main/electron/security'
import { createFakeSession, FakeEvent, FakeWebContents, RENDERER_FILE_URL } from './fake-electron'

describe('isAppUrl', () => {
  it('accepts the renderer document itself, with or without a hash or query', () => {
    expect(isAppUrl(RENDERER_FILE_URL, RENDERER_FILE_URL)).toBe(true)
    expect(isAppUrl(`${RENDERER_FILE_URL}#/status`, RENDERER_FILE_URL)).toBe(true)
  })

  it('refuses other local files, even ones that resolve next to the renderer', () => {
    expect(isAppUrl('file:///etc/passwd', RENDERER_FILE_URL)).toBe(false)
    expect(isAppUrl(RENDERER_FILE_URL.replace('index.html', 'other.html'), RENDERER_FILE_URL)).toBe(false)
    expect(isAppUrl(RENDERER_FILE_URL.replace('/renderer/', '/renderer/../preload/'), RENDERER_FILE_URL)).toBe(false)
  })

  it('refuses the web, data: and javascript: URLs, and garbage', () => {
    for (const url of ['https://example.com/', 'http://localhost:5173/', 'data:text/html,<h1>x', 'javascript:alert(1)', 'not a url', '']) {
      expect(isAppUrl(url, RENDERER_FILE_URL), url).toBe(false)
    }
  })

  it('accepts any page of the dev server origin and nothing else', () => {
    const dev = 'http://localhost:5173'
    expect(isAppUrl('http://localhost:5173/', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5173/index.html?x=1', dev)).toBe(true)
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false)
    expect(isAppUrl('https://localhost:5173/', dev)).toBe(false)
    expect(isAppUrl('http://localhost.evil.example:5173/', dev)).toBe(false)
  })

  it('does not treat two custom-scheme URLs as one origin just because both origins are opaque', () => {
    expect(isAppUrl('other://x/index.html', 'app://x/index.html')).toBe(false)
    expect(isAppUrl('app://x/other.html', 'app://x/index.html')).toBe(false)
  })
})

function hardened(): { contents: FakeWebContents; log: ReturnType<typeof memoryLogger> } {
  const contents = new FakeWebContents()
  const log = memoryLogger()
  hardenWebContents(contents as unknown as WebContents, (url) => isAppUrl(url, RENDERER_FILE_URL), log)
  return { contents, log }
}

describe('hardenWebContents', () => {
  for (const eventName of ['will-navigate', 'will-redirect'] as const) {
    it(`${eventName}: prevents leaving the app and logs it, lets the app's own URL through`, () => {
      const { contents, log } = hardened()
      const away = new FakeEvent('https://hijack.example/')
      contents.emit(eventName, away)
      expect(away.defaultPrevented).toBe(true)
      expect(log.records).toContainEqual(expect.objectContaining({ level: 'warn', message: 'navigation denied' }))

      const home = new FakeEvent(RENDERER_FILE_URL)
      contents.emit(eventName, home)
      expect(home.defaultPrevented).toBe(false)
    })
  }

  it('prevents a subframe from navigating away from the app', () => {
    const { contents } = hardened()
    const sub = new FakeEvent('https://ads.example/', false)
    contents.emit('will-frame-navigate', sub)
    expect(sub.defaultPrevented).toBe(true)
    const subHome = new FakeEvent(RENDERER_FILE_URL, false)
    contents.emit('will-frame-navigate', subHome)
    expect(subHome.defaultPrevented).toBe(false)
  })

  it('denies window.open for every URL, the app included', () => {
    const { contents, log } = hardened()
    expect(contents.windowOpenHandler).not.toBeNull()
    expect(contents.windowOpenHandler!({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
    expect(contents.windowOpenHandler!({ url: RENDERER_FILE_URL })).toEqual({ action: 'deny' })
    expect(log.records.filter((r) => r.message === 'window.open denied')).toHaveLength(2)
  })

  it('prevents attaching a <webview>', () => {
    const { contents } = hardened()
    const attach = new FakeEvent()
    contents.emit('will-attach-webview', attach, { preload: '/evil.js' }, { src: 'https://example.com/' })
    expect(attach.defaultPrevented).toBe(true)
  })
})

describe('denyAllPermissions', () => {
  it('answers every permission request with false and every check with false', () => {
    const session = createFakeSession()
    const log = memoryLogger()
    denyAllPermissions(session as unknown as Session, log)

    for (const permission of ['media', 'geolocation', 'notifications', 'fullscreen', 'openExternal', 'clipboard-read']) {
      const answers: boolean[] = []
      session.requestHandler!({}, permission, (granted) => answers.push(granted), {})
      expect(answers, permission).toEqual([false])
      expect(session.checkHandler!({}, permission, 'file://', {}), permission).toBe(false)
    }
    expect(session.deviceHandler!({ deviceType: 'usb' })).toBe(false)
    expect(log.records).toContainEqual(expect.objectContaining({ message: 'permission request denied', fields: { permission: 'media' } }))
  })
})
