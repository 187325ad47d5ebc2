// Signing keys on disk for the CLI: generate a province-style Ed25519 key pair once (private key 0600),
// reuse it afterwards, and show the public key in the forms a board's configuration accepts.
import { createPublicKey } from 'node:crypto'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { generateSigningKey } from '../main/core/protocol/signing'

export const PRIVATE_KEY_FILE = 'signing-key.pem'
export const PUBLIC_KEY_FILE = 'public-key.pem'

export interface KeyFiles {
  privateKeyPem: string
  publicKeyPem: string
  /** True when the key pair was made now; false when an existing one was reused. */
  generated: boolean
}

/** Never overwrites: replacing a key that boards already trust would lock them out of every update. */
export async function generateOrReuseKey(dir: string): Promise<KeyFiles> {
  await mkdir(dir, { recursive: true })
  const privatePath = join(dir, PRIVATE_KEY_FILE)
  const existing = await readFile(privatePath, 'utf8').catch(() => null)
  if (existing !== null) return { privateKeyPem: existing, publicKeyPem: publicKeyPemOf(existing), generated: false }
  const pair = generateSigningKey()
  await writeFile(privatePath, pair.privateKeyPem, { mode: 0o600, flag: 'wx' })
  await chmod(privatePath, 0o600) // the umask may have widened it
  await writeFile(join(dir, PUBLIC_KEY_FILE), pair.publicKeyPem, { mode: 0o644 })
  return { ...pair, generated: true }
}

export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }).toString()
}

/** The base64 of the SPKI DER bytes: one line, easy to paste into a board's config (publicKeyFrom accepts it). */
export function spkiBase64(publicKeyPem: string): string {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64')
}
