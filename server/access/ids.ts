// Random ids and secrets for the access room's rows, and the sha256 under which secrets are stored.
import { createHash, randomBytes } from 'node:crypto'

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`
}

export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString()
}
