// Who is calling the console API: the signed-in person or script, with their role and the units they reach.
// Every route handler receives one; the access room (server/access/) produces it from a session or token.

/** quan-tri administers users, boards, keys; bien-tap authors; duyet approves, publishes, sends emergencies; xem reads. */
export const ROLES = ['quan-tri', 'bien-tap', 'duyet', 'xem'] as const
export type Role = (typeof ROLES)[number]

/** Every role: for read routes any signed-in user may call. */
export const ANY_ROLE: readonly Role[] = ROLES

export interface Actor {
  userId: string
  /** The unit the user belongs to. */
  unitId: string
  role: Role
  /** The user's unit and every unit below it: what they may see and target. */
  subtree: ReadonlySet<string>
  /** True when the user's unit is the root (the province): unplaced boards are theirs to see. */
  atRoot: boolean
  /** How they signed in: a browser session (cookie + CSRF) or an API token (Bearer). */
  via: 'session' | 'token'
}

/** What an authenticator makes of a request's credentials. */
export interface Authenticated {
  actor: Actor
  /** The session's CSRF token, which state-changing requests must echo; null for Bearer tokens. */
  csrfToken: string | null
  /** The one-time password must be changed before anything but routes marked allowBeforePasswordChange. */
  mustChangePassword: boolean
}
