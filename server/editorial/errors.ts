// Errors of the editorial room, shaped as the API answers them ({ error: { code, field, vi, en } }), and who
// is acting: the roles of docs/source-server.md, checked here too so a route that forgets a check fails closed.
export type Role = 'quan-tri' | 'bien-tap' | 'duyet' | 'xem'

/** Whoever acts: a signed-in user (the HTTP layer builds this from the session). */
export interface Actor {
  userId: string
  roles: readonly Role[]
}

export class EditorialError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly code: string,
    readonly field: string | null,
    readonly vi: string,
    readonly en: string
  ) {
    super(en)
    this.name = 'EditorialError'
  }

  toJSON(): { error: { code: string; field: string | null; vi: string; en: string } } {
    return { error: { code: this.code, field: this.field, vi: this.vi, en: this.en } }
  }
}

export function badInput(field: string, vi: string, en: string): EditorialError {
  return new EditorialError(400, 'invalid', field, vi, en)
}

export function requireRole(actor: Actor, allowed: readonly Role[], doing: { vi: string; en: string }): void {
  if (actor.roles.some((role) => allowed.includes(role))) return
  throw new EditorialError(403, 'forbidden', null, `Bạn không có quyền ${doing.vi} (cần vai trò ${allowed.join(' hoặc ')}).`, `You may not ${doing.en} (needs role ${allowed.join(' or ')}).`)
}

/** Every stamp the room stores: ISO 8601 UTC text (sorts as text, portable to PostgreSQL). */
export function iso(ms: number): string {
  return new Date(ms).toISOString()
}
