// Who may reach the admin HTTP API (/admin/…, the admin token): anyone (the reference and test servers), only
// this machine (the product's default), or no one; and a hook that sees every answered admin change (the audit).
/*
 * Why. The admin token can publish, send emergencies and approve pairings without the console's roles and
 * approval: it is for scripts on the server machine itself. A district server started with --host 0.0.0.0 so
 * officers on the LAN reach the console must not also offer that token's powers to the LAN.
 */
import type { IncomingMessage } from 'node:http'

export type AdminReach = 'any' | 'loopback' | 'off'

export interface AdminApiPolicy {
  reach: AdminReach
  /** Every admin request that changes something (not GET/HEAD), once answered, except unauthenticated ones. */
  onChange?: (change: { method: string; path: string; address: string; status: number }) => void
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.')
}

/** Why this request may not use the admin API at all, or null when it may try (its token is checked after). */
export function adminRefusal(policy: AdminApiPolicy, req: IncomingMessage): { status: number; code: string; message: string } | null {
  if (policy.reach === 'off') {
    return { status: 404, code: 'admin-api-off', message: 'API quản trị đã tắt trên máy chủ này (--admin-api off) / the admin API is off on this server (--admin-api off)' }
  }
  if (policy.reach === 'loopback' && !isLoopback(req.socket.remoteAddress)) {
    return {
      status: 403,
      code: 'admin-api-loopback-only',
      message: 'API quản trị chỉ dùng được từ chính máy chủ (127.0.0.1); hãy dùng trang quản trị / the admin API answers only on this machine (127.0.0.1); use the console'
    }
  }
  return null
}
