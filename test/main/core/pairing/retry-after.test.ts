// The board's pairing client against the real reference server shedding load: a 429 with Retry-After
// is honoured (the board waits at least that long), then pairing goes on. Its clock moves only when the board sleeps.
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../../../main/core/log'
import { pairBoard } from '../../../../main/core/pairing/pairing-client'
import { paths } from '../../../../main/core/protocol/api'
import { retryAfterMs } from '../../../../main/core/sync/http-request'
import { startReferenceServer, type ReferenceServer } from '../../../../server/reference-server'
import { rawRequest } from '../../../server/helpers'

describe('pairing when the server says "later"', () => {
  let server: ReferenceServer | null = null
  afterEach(async () => {
    await server?.close()
    server = null
  })

  it('waits at least the Retry-After of a 429 before asking again, then shows its code', async () => {
    let clock = Date.now()
    server = await startReferenceServer({ now: () => clock })
    const url = server.url
    // This address (127.0.0.1) used up its burst: the next request is refused for a while.
    for (let i = 0; i < 10; i++) expect((await rawRequest(`${url}${paths.pairings()}`, { method: 'POST' })).status).toBe(201)
    const refused = await rawRequest(`${url}${paths.pairings()}`, { method: 'POST' })
    expect(refused.status).toBe(429)
    const retryAfterSec = Number(refused.headers['retry-after'])
    expect(retryAfterSec).toBeGreaterThanOrEqual(1)

    const controller = new AbortController()
    const slept: number[] = []
    const shown: string[] = []
    const pairing = pairBoard({
      serverUrl: url,
      allowInsecureHttp: true,
      log: memoryLogger(),
      signal: controller.signal,
      onCode: (display) => {
        if (!display) return
        shown.push(display.code)
        controller.abort()
      },
      sleep: async (ms) => {
        slept.push(ms)
        clock += ms
      }
    })
    await expect(pairing).rejects.toThrow('pairing stopped')
    expect(shown).toHaveLength(1)
    expect(slept).toHaveLength(1)
    expect(slept[0]).toBeGreaterThanOrEqual(retryAfterSec * 1000)
  })

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-22T03:00:00Z')
    expect(retryAfterMs('120', now)).toBe(120_000)
    expect(retryAfterMs('Sun, 22 Nov 2026 03:01:30 GMT', now)).toBe(90_000)
    expect(retryAfterMs('Sun, 22 Nov 2026 02:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})
