// The province's signature over update metadata (latest.yml, latest-linux.yml): made offline by
// scripts/sign-update.ts, checked by the player before electron-updater may download anything it names.
import { sign, verify, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import type { TrustedKeys } from '../../core/protocol/signing'

// /2 signs a validity window with the metadata: a feed replaying an old signature can withhold updates
// only until it expires, after which the board refuses and says so (before, it could freeze a fleet unseen).
export const SIGNATURE_FORMAT = 'bangtin-update-signature/2'
/** The default validity `npm run sign-update` gives: the province signs its feed again at least monthly. */
export const DEFAULT_VALIDITY_DAYS = 30
/** Longer windows are refused: a signature meant to live for years is a freeze waiting to happen. */
export const MAX_VALIDITY_DAYS = 120
const DAY_MS = 86_400_000
/** The signature travels beside the metadata: `latest-linux.yml` → `latest-linux.yml.sig`. */
export const SIGNATURE_SUFFIX = '.sig'

/** What a `.sig` file holds (one JSON object). */
export const UpdateSignatureFile = z.strictObject({
  format: z.literal(SIGNATURE_FORMAT),
  /** The metadata file this signature is for: a Windows latest.yml signature cannot pass for latest-linux.yml. */
  file: z.string().min(1).max(200),
  keyId: z.string().min(1).max(200),
  /** When the province signed, and until when the metadata may be believed (ISO 8601, inside the signature). */
  signedAt: z.iso.datetime({ offset: true }),
  expiresAt: z.iso.datetime({ offset: true }),
  /** Ed25519 over signedMessage(file, window, metadata bytes), base64. */
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature in base64')
})
export type UpdateSignatureFile = z.infer<typeof UpdateSignatureFile>

/**
 * The bytes signed: a fixed prefix, the file name, then the metadata's exact bytes (version, files,
 * sha512, staging percentage: everything electron-updater reads). The prefix keeps an update signature
 * and a signed manifest apart even when a province uses one key for both.
 */
export function signedMessage(file: string, window: ValidityWindow, metadata: Buffer | string): Buffer {
  return Buffer.concat([Buffer.from(`${SIGNATURE_FORMAT}\n${file}\n${window.signedAt}\n${window.expiresAt}\n`, 'utf8'), Buffer.from(metadata)])
}

export interface ValidityWindow {
  signedAt: string
  expiresAt: string
}

export function signUpdateMetadata(
  file: string,
  metadata: Buffer | string,
  keyId: string,
  privateKey: KeyObject,
  opts: { now?: number; validDays?: number } = {}
): UpdateSignatureFile {
  const now = opts.now ?? Date.now()
  const window = { signedAt: new Date(now).toISOString(), expiresAt: new Date(now + (opts.validDays ?? DEFAULT_VALIDITY_DAYS) * DAY_MS).toISOString() }
  const signature = sign(null, signedMessage(file, window, metadata), privateKey).toString('base64')
  return { format: SIGNATURE_FORMAT, file, keyId, ...window, signature }
}

/** What the player trusts for updates: keys from its own configuration (never from the feed), and the lab switch. */
export interface UpdateTrust {
  keys: TrustedKeys
  /** Lab only: metadata without a signature is accepted (and said so loudly). A present, wrong signature never is. */
  allowUnsigned: boolean
}

export type UpdateSignatureFailure = 'unsigned' | 'malformed' | 'wrong-file' | 'unknown-key' | 'bad-signature' | 'expired' | 'window-too-long'

/** Refused metadata. `code` is what electron-updater's errors carry; the message is for an operator, Vietnamese first. */
export class UpdateSignatureError extends Error {
  override name = 'UpdateSignatureError'
  readonly code = 'ERR_BANGTIN_UPDATE_SIGNATURE'
  constructor(
    readonly reason: UpdateSignatureFailure,
    message: string
  ) {
    super(message)
  }
}

function refuse(reason: UpdateSignatureFailure, vi: string, en: string): never {
  throw new UpdateSignatureError(reason, `Từ chối bản cập nhật: ${vi}; không tải gì. / Update refused: ${en}; nothing downloaded.`)
}

/**
 * Checks `metadata` (the exact text electron-updater will parse) against its `.sig` text (null: the
 * feed has none). Returns the key id that signed it, or null when the lab setting let unsigned metadata
 * through. Throws UpdateSignatureError saying why otherwise.
 */
export function verifyUpdateMetadata(file: string, metadata: Buffer | string, signatureText: string | null, trust: UpdateTrust, now = Date.now()): string | null {
  if (signatureText === null) {
    if (trust.allowUnsigned) return null
    refuse('unsigned', `${file} không có chữ ký của tỉnh (thiếu ${file}${SIGNATURE_SUFFIX})`, `${file} is not signed by the province (${file}${SIGNATURE_SUFFIX} is missing)`)
  }
  // A lab without any key checks nothing it could not check anyway; with keys, a present signature must hold.
  if (trust.keys.size === 0 && trust.allowUnsigned) return null
  let parsed: UpdateSignatureFile
  try {
    parsed = UpdateSignatureFile.parse(JSON.parse(signatureText))
  } catch {
    refuse('malformed', `${file}${SIGNATURE_SUFFIX} không đúng định dạng`, `${file}${SIGNATURE_SUFFIX} is malformed`)
  }
  if (parsed.file !== file) {
    refuse('wrong-file', `chữ ký dành cho ${parsed.file}, không phải ${file}`, `the signature is for ${parsed.file}, not ${file}`)
  }
  const key = trust.keys.get(parsed.keyId)
  if (!key) {
    refuse('unknown-key', `${file} được ký bằng khoá lạ "${parsed.keyId}"`, `${file} is signed with unknown key "${parsed.keyId}"`)
  }
  if (!verify(null, signedMessage(file, parsed, metadata), key, Buffer.from(parsed.signature, 'base64'))) {
    refuse(
      'bad-signature',
      `chữ ký của ${file} không khớp (khoá ${parsed.keyId}): tệp đã bị sửa hoặc giả mạo`,
      `the signature of ${file} does not match (key ${parsed.keyId}): the file was altered or forged`
    )
  }
  const signedAt = Date.parse(parsed.signedAt)
  const expiresAt = Date.parse(parsed.expiresAt)
  if (expiresAt - signedAt > MAX_VALIDITY_DAYS * DAY_MS || expiresAt <= signedAt) {
    refuse('window-too-long', `chữ ký của ${file} có hạn quá dài (tối đa ${MAX_VALIDITY_DAYS} ngày)`, `the signature of ${file} is valid for too long (at most ${MAX_VALIDITY_DAYS} days)`)
  }
  // The board's own clock: one set back could only make it accept what it already accepted before.
  if (expiresAt <= now) {
    refuse(
      'expired',
      `${file} được ký ngày ${parsed.signedAt.slice(0, 10)}, đã hết hạn ngày ${parsed.expiresAt.slice(0, 10)}: nguồn cập nhật cũ hoặc bị giữ lại; tỉnh cần ký lại`,
      `${file} was signed on ${parsed.signedAt.slice(0, 10)} and expired on ${parsed.expiresAt.slice(0, 10)}: the feed is stale or held back; the province must sign it again`
    )
  }
  return parsed.keyId
}
