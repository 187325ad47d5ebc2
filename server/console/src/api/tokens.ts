// The shapes the API tokens page (Mã API) reads: my tokens (never their secrets), a new token with its
// secret (answered once), a revocation.
import { z } from 'zod'

export const TokenInfo = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() })
export type TokenInfo = z.infer<typeof TokenInfo>
export const TokenList = z.object({ tokens: z.array(TokenInfo) })
export const CreatedToken = TokenInfo.extend({ token: z.string() })
export type CreatedToken = z.infer<typeof CreatedToken>
export const Revoked = z.object({ revoked: z.literal(true) })
