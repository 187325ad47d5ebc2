// The access room's tables (server/access/): units, users, sessions, API tokens, board placement, audit log.
// Times are ISO 8601 text (UTC); secrets are stored only as hashes.
import type { Generated } from 'kysely'

export type UnitLevel = 'tinh' | 'huyen' | 'xa'

export interface AccessTables {
  units: {
    id: string
    parent_id: string | null
    level: UnitLevel
    name: string
    /** Materialised path of ids, '/root/…/self/': a subtree is every path starting with this one's. */
    path: string
    created_at: string
  }
  users: {
    id: string
    unit_id: string
    /** Lowercase, unique: what people type to sign in. */
    username: string
    display_name: string
    role: string
    /** `scrypt$N$r$p$salt$hash` (base64url). */
    password_hash: string
    must_change_password: number
    disabled: number
    failed_logins: number
    locked_until: string | null
    created_at: string
  }
  sessions: {
    /** sha256 of the cookie's value: a copy of the database signs nobody in. */
    id_hash: string
    user_id: string
    csrf_token: string
    address: string
    created_at: string
    expires_at: string
    last_seen_at: string
  }
  api_tokens: {
    id: string
    user_id: string
    name: string
    token_hash: string
    created_at: string
    last_used_at: string | null
    revoked_at: string | null
  }
  board_placements: {
    device_id: string
    unit_id: string
    display_name: string
    /** JSON array of strings, e.g. ["LED ngoài trời","trụ sở UBND"]. */
    tags: string
    updated_at: string
  }
  audit_log: {
    id: Generated<number>
    at: string
    user_id: string | null
    /** The actor's unit. */
    unit_id: string | null
    /** The unit of what was acted on, when known: districts see what was done to their things. */
    target_unit_id: string | null
    address: string
    via: string | null
    action: string
    target: string | null
    /** JSON. */
    detail: string
  }
}
