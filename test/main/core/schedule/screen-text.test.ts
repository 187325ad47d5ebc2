// Screen text: composed, and with no bidi control left to reorder what a board shows (finding 9: an
// U+202E made a phone number read as another). Through the core's public pieces: the screen view and the host.
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { PlayerHost } from '../../../../main/core/player-host'
import { parseManifest } from '../../../../main/core/protocol/manifest'
import type { SchedulePlan } from '../../../../main/core/schedule/scheduler'
import { buildScreenView } from '../../../../main/core/schedule/screen-view'
import { screenText } from '../../../../main/core/schedule/screen-text'

/** Every bidi control a text might smuggle: embeddings, overrides, isolates, marks. */
const CONTROLS = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C']
const HIDDEN = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/
const tricked = (text: string): string => CONTROLS.join('') + text.slice(0, 4) + '\u202E' + text.slice(4) + '\u202C\u2067\u200F'

describe('screen text', () => {
  it('drops every bidi control and composes the rest, keeping joiners and Vietnamese marks', () => {
    expect(screenText('Gọi \u202E0987 654 321\u202C ngay')).toBe('Gọi 0987 654 321 ngay')
    expect(screenText('0987\u200F 654 321')).toBe('0987 654 321')
    expect(screenText('Thông báo'.normalize('NFD'))).toBe('Thông báo')
    // Zero-width joiners are not direction controls (emoji sequences, some scripts need them).
    expect(screenText('a\u200Db\u200Cc')).toBe('a\u200Db\u200Cc')
    for (const control of CONTROLS) expect(screenText(`x${control}y`)).toBe('xy')
  })

  it('reaches titles, bodies, tickers, the emergency and the board name', () => {
    const manifest = parseManifest({
      schema: 'bangtin.manifest/v1',
      version: 'v1',
      playlists: [
        {
          id: 'p',
          name: 'p',
          items: [
            { id: 't', kind: 'text', title: tricked('Đường dây nóng'), body: tricked('Gọi 0987 654 321'), durationSec: 10 },
            { id: 'k', kind: 'ticker', text: tricked('Phòng chống lụt bão'), durationSec: 10 }
          ]
        }
      ],
      assets: []
    })
    const emergency = { id: 'lu', issuedAt: '2026-11-21T00:00:00Z', expiresAt: '2026-11-22T00:00:00Z', title: tricked('LŨ QUÉT'), body: tricked('Gọi 0987 654 321') }
    const plan: SchedulePlan = {
      displayOn: true,
      emergency,
      otherEmergencies: [],
      zones: [{ zoneId: 'main', role: 'main', priority: 'normal', playlistIds: ['p'], items: manifest.playlists[0]!.items, isDefault: false }],
      nextChangeAt: null
    }
    const host = new PlayerHost({ name: tricked('Xã Phú An'), timeZone: 'Asia/Ho_Chi_Minh' }, memoryLogger())
    host.show(buildScreenView(plan, manifest, { isReady: () => true, mediaUrl: (sha) => `/media/${sha}` }))
    const before = host.payload()
    host.setBoard({ name: tricked('Xã Phú Bình'), timeZone: 'Asia/Ho_Chi_Minh' })
    const payload = host.payload()
    const texts = [
      before.board.name,
      payload.board.name,
      payload.emergency!.title,
      payload.emergency!.body,
      ...payload.zones[0]!.program!.items.flatMap((item) => (item.kind === 'text' ? [item.title!, item.body] : item.kind === 'ticker' ? [item.text] : []))
    ]
    expect(texts).toEqual(['Xã Phú An', 'Xã Phú Bình', 'LŨ QUÉT', 'Gọi 0987 654 321', 'Đường dây nóng', 'Gọi 0987 654 321', 'Phòng chống lụt bão'])
    expect(JSON.stringify(payload)).not.toMatch(HIDDEN)
  })
})
