// The pairing rate limits on their own: which address a request counts against, the per-address and the
// server-wide buckets, and that a first-time asker is never held back by others. (Over HTTP: test/attacks/refserver.test.ts.)
import { describe, expect, it } from 'vitest'
import { addressKey, PairingLimiter } from '../../server/pairing-limits'

describe('pairing limits', () => {
  it('counts IPv4 (also IPv4-mapped) by address and IPv6 by its /64', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64')
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(addressKey('::1')).toBe('0:0:0:0::/64')
    expect(addressKey(undefined)).toBe('unknown')
  })

  it('lets an address burst, then one request per refill, saying when to come back', () => {
    const limiter = new PairingLimiter({ perAddress: { burst: 3, perMinute: 1 }, global: { burst: 100, perSecond: 1 } })
    const now = 1_000_000
    for (let i = 0; i < 3; i++) expect(limiter.admit('a', now)).toEqual({ ok: true })
    expect(limiter.admit('a', now)).toEqual({ ok: false, scope: 'address', retryAfterSec: 60 })
    expect(limiter.admit('a', now + 30_000)).toEqual({ ok: false, scope: 'address', retryAfterSec: 30 })
    expect(limiter.admit('a', now + 60_000)).toEqual({ ok: true })
    // A clock stepped back gives nothing back.
    expect(limiter.admit('a', now)).toMatchObject({ ok: false, scope: 'address' })
    expect(limiter.admit('b', now)).toEqual({ ok: true })
  })

  it('holds back repeat askers server-wide, never an address asking for its first code', () => {
    const limiter = new PairingLimiter({ perAddress: { burst: 5, perMinute: 1 }, global: { burst: 4, perSecond: 1 } })
    const now = 1_000_000
    // Two quiet requests each, then repeat askers draw from the shared four.
    for (const address of ['a', 'b']) for (let i = 0; i < 2; i++) expect(limiter.admit(address, now).ok).toBe(true)
    for (let i = 0; i < 4; i++) expect(limiter.admit(i < 2 ? 'a' : 'b', now).ok).toBe(true)
    expect(limiter.admit('a', now)).toEqual({ ok: false, scope: 'server', retryAfterSec: 1 })
    expect(limiter.admit('new-board', now)).toEqual({ ok: true })
    expect(limiter.admit('a', now + 1_000)).toEqual({ ok: true })
  })
})
