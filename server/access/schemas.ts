// The access room's zod schemas shared by its routes (and usable by other rooms: UnitOut, BoardOut).
import { z } from 'zod'
import { ROLES } from '../api/actor'
import { humanText } from '../api/human-text'

export const RoleSchema = z.enum(ROLES)
export const Username = z
  .string()
  .trim()
  .min(3)
  .max(64)
  .regex(/^[a-zA-Z0-9._-]+$/, 'letters, digits, . _ - only')
export const NewPassword = z.string().min(10).max(200)
/** A name people read (server/api/human-text.ts: NFC, no bidi or control characters, something visible). */
export const Name = humanText({ vi: 'Tên', en: 'The name', max: 120 })
export const UnitName = humanText({ vi: 'Tên đơn vị', en: 'The unit name', max: 120 })
export const DisplayName = humanText({ vi: 'Tên hiển thị', en: 'The display name', max: 120 })
export const BoardName = humanText({ vi: 'Tên bảng tin', en: 'The board name', max: 120 })
export const Tag = humanText({ vi: 'Nhãn bảng tin', en: 'The board tag', max: 60 })
export const DeviceId = z.string().min(1).max(128).regex(/^[A-Za-z0-9._-]+$/)

export const UnitOut = z.object({ id: z.string(), parentId: z.string().nullable(), level: z.enum(['tinh', 'huyen', 'xa']), name: z.string() })
export const UserOut = z.object({
  id: z.string(),
  unitId: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string()
})
export const BoardOut = z.object({ deviceId: z.string(), unitId: z.string(), displayName: z.string(), tags: z.array(z.string()), updatedAt: z.string() })
export const TokenOut = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
export const AuditOut = z.object({
  id: z.number(),
  at: z.string(),
  userId: z.string().nullable(),
  /** The person's display name, so the log names people for everyone who may read it (not only administrators). */
  userName: z.string().nullable(),
  unitId: z.string().nullable(),
  targetUnitId: z.string().nullable(),
  address: z.string(),
  via: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.unknown()
})
export const IdParam = z.object({ id: z.string().min(1).max(128) })
