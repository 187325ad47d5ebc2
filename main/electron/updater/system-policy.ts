// The machine's update policy: a root-owned file (/etc/bangtin/updates.json on Linux) naming the update feed
// and the province's update keys, out of reach of the player's own user, and overriding shell.json's.
/*
 * Why. shell.json lives in the player's own folder: whoever runs code as the player (a renderer exploit, a
 * compromised shell) can rewrite the feed and keys there and so choose what gets installed — as root for a deb.
 * An installer who puts the feed and keys in this file takes them out of that user's reach: when the file is
 * present, shell.json's url, trustedKeys and allowUnsigned are ignored. The file must be owned by root and
 * writable by no one else, in a folder likewise; otherwise updates are off and the heartbeat says why.
 * Windows has no such file (ProgramData is writable by users by default); there shell.json stays the source.
 */
import { readFile } from 'node:fs/promises'
import { z } from 'zod'
import { publicKeyFrom } from '../../core/protocol/signing'
import { writableByOthers } from './trust'

export const SYSTEM_UPDATE_POLICY_LINUX = '/etc/bangtin/updates.json'

/** Where this platform keeps the policy, or null where it has none. */
export function systemPolicyPath(platform: NodeJS.Platform = process.platform): string | null {
  return platform === 'linux' ? SYSTEM_UPDATE_POLICY_LINUX : null
}

const isEd25519 = (text: string): boolean => {
  try {
    publicKeyFrom(text)
    return true
  } catch {
    return false
  }
}

export const SystemUpdatePolicy = z.strictObject({
  /** The province's update server; absent: the URL built into the installer. */
  url: z.url({ protocol: /^https$/ }).optional(),
  trustedKeys: z
    .array(z.object({ keyId: z.string().min(1).max(200), publicKey: z.string().min(40).max(2000).refine(isEd25519, 'not an Ed25519 public key') }))
    .min(1)
    .max(8),
  allowUnsigned: z.boolean().default(false)
})
export type SystemUpdatePolicy = z.infer<typeof SystemUpdatePolicy>

export type PolicyReading = { policy: SystemUpdatePolicy | null } | { refused: string }

/**
 * The policy at `path`: null when there is none, or why it cannot be trusted (not root's, writable by others,
 * unreadable, invalid). `owners` is who may own it: root only on a board (tests pass their own uid).
 */
export async function readSystemUpdatePolicy(path: string | null, owners: ReadonlySet<number> = new Set([0])): Promise<PolicyReading> {
  if (path === null) return { policy: null }
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { policy: null }
    return { refused: `không đọc được ${path}, nên cập nhật bị tắt / cannot read ${path}, so updates are off: ${(error as Error).message}` }
  }
  const unsafe = await writableByOthers(path, 'linux', owners)
  if (unsafe) return { refused: unsafe }
  try {
    return { policy: SystemUpdatePolicy.parse(JSON.parse(text)) }
  } catch (error) {
    const reason = error instanceof z.ZodError ? error.issues.map((i) => `${i.path.join('.') || '(file)'}: ${i.message}`).join('; ') : (error as Error).message
    return { refused: `${path} không hợp lệ, nên cập nhật bị tắt / ${path} is invalid, so updates are off: ${reason}`.slice(0, 2000) }
  }
}

/** The update settings in force: the policy's feed and keys over shell.json's when there is a policy. */
export function withPolicy<T extends { url?: string; trustedKeys: readonly { keyId: string; publicKey: string }[]; allowUnsigned: boolean }>(
  updates: T,
  policy: SystemUpdatePolicy | null
): T {
  if (!policy) return updates
  return { ...updates, url: policy.url, trustedKeys: policy.trustedKeys, allowUnsigned: policy.allowUnsigned }
}
