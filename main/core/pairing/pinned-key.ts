// The province key a board pinned the first time it was paired on screen, kept apart from its token:
// a revoked token is forgotten, the pinned key is not. As ssh's known_hosts: a later pairing that offers
// another key does not replace it; an installer at the board changes it by deleting this file.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { Logger } from '../log'
import { writeFileAtomic } from '../fs-atomic'
import { keyFingerprint } from '../protocol/key-fingerprint'
import type { ContentTrust } from '../sync/content-trust'

export interface PinnedKey {
  keyId: string
  publicKey: string
}

const Stored = z.strictObject({ keyId: z.string().min(1).max(200), publicKey: z.string().min(40).max(2000) })

export const PINNED_KEY_FILE = 'province-key.json'

export class PinnedKeyFile {
  private readonly path: string

  constructor(
    stateDir: string,
    private readonly log: Logger
  ) {
    this.path = join(stateDir, PINNED_KEY_FILE)
  }

  async load(): Promise<PinnedKey | null> {
    try {
      return Stored.parse(JSON.parse(await readFile(this.path, 'utf8')))
    } catch (error) {
      // Whoever can corrupt this file can delete it too (they own the board's state folder): unreadable is
      // treated as none, loudly.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.error('pinned province key unreadable; ignored', { path: this.path, reason: (error as Error).message })
      return null
    }
  }

  async save(key: PinnedKey): Promise<void> {
    await writeFileAtomic(this.path, JSON.stringify({ keyId: key.keyId, publicKey: key.publicKey }))
  }
}

/**
 * The key a pairing answer (or stored credentials) offers, taken under the rule above: pinned and saved
 * the first time, kept when it is the same, refused (and reported, both fingerprints named) when it differs.
 */
export async function adoptOfferedKey(
  trust: ContentTrust,
  file: PinnedKeyFile,
  offered: PinnedKey,
  report: (detail: string) => void
): Promise<void> {
  const outcome = trust.pin([offered])
  if (outcome === 'pinned') await file.save(offered)
  if (outcome !== 'refused') return
  const kept = trust.state.keys.map((k) => k.fingerprint).join(', ')
  report(
    `khoá tỉnh mới (${keyFingerprint(offered.publicKey)}) khác khoá đã ghim (${kept}): không nhận; muốn đổi khoá, xoá ${PINNED_KEY_FILE} tại bảng tin / ` +
      `the new province key (${keyFingerprint(offered.publicKey)}) differs from the pinned one (${kept}): refused; to change it, delete ${PINNED_KEY_FILE} at the board`
  )
}
