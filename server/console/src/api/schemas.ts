// The shapes of the console API's answers this app reads (mirrors docs/console-api.json), checked with zod
// so a changed server shows a clear message instead of a broken page.
import { z } from 'zod'

export const ROLES = ['quan-tri', 'bien-tap', 'duyet', 'xem'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

export const Unit = z.object({ id: z.string(), parentId: z.string().nullable(), level: z.enum(['tinh', 'huyen', 'xa']), name: z.string() })
export type Unit = z.infer<typeof Unit>

export const User = z.object({
  id: z.string(),
  unitId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string()
})
export type User = z.infer<typeof User>

export const Board = z.object({ deviceId: z.string(), unitId: z.string(), displayName: z.string(), tags: z.array(z.string()), updatedAt: z.string() })
export type Board = z.infer<typeof Board>

export const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable().optional(),
  unitId: z.string().nullable(),
  targetUnitId: z.string().nullable(),
  address: z.string(),
  via: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.unknown()
})
export type AuditEntry = z.infer<typeof AuditEntry>

export const Me = z.object({ user: User, unit: Unit, via: z.enum(['session', 'token']), csrfToken: z.string().nullable(), unitIds: z.array(z.string()) })
export type Me = z.infer<typeof Me>

export const SignedIn = z.object({ csrfToken: z.string(), expiresAt: z.string(), mustChangePassword: z.boolean(), user: User })
export const Changed = z.object({ changed: z.literal(true) })
export const SignedOut = z.object({ signedOut: z.literal(true) })
export const Units = z.object({ units: z.array(Unit) })
export const Users = z.object({ users: z.array(User) })
export const Boards = z.object({ boards: z.array(Board) })
export const AuditEntries = z.object({ entries: z.array(AuditEntry) })
export const CreatedUser = z.object({ user: User, password: z.string() })
export const NewPassword = z.object({ password: z.string() })
