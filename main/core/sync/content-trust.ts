// Which signed content a board with a server takes: the province's keys (from config.json, or pinned
// when it was paired on screen), and nothing unsigned unless the installer set lab mode. Fails closed.
import { openSigned, SignatureError, trustedKeysFrom, type TrustedKeys } from '../protocol/signing'
import { keyFingerprint } from '../protocol/key-fingerprint'

export interface ProvinceKey {
  keyId: string
  publicKey: string
}

/**
 * `signed`: only documents signed by a trusted key; `lab`: unsigned documents accepted too
 * (allowUnsignedContent); `no-key`: nothing is accepted until a province key is configured or pinned.
 */
export type TrustMode = 'signed' | 'lab' | 'no-key'

export interface TrustState {
  mode: TrustMode
  /** Where the keys came from: config.json, pinned at pairing, or none. */
  keySource: 'config' | 'pairing' | null
  keys: { keyId: string; fingerprint: string }[]
}

const NO_KEY =
  'bảng tin chưa có khoá công khai của tỉnh nên không nhận nội dung nào (cấu hình trustedKeys hoặc ghép nối lại trên màn hình) / ' +
  'this board has no province public key, so it accepts no content (configure trustedKeys, or pair on screen)'

export class ContentTrust {
  private keys: TrustedKeys
  private entries: ProvinceKey[]
  private source: TrustState['keySource']

  constructor(
    configured: readonly ProvinceKey[],
    readonly allowUnsigned: boolean
  ) {
    this.entries = [...configured]
    this.keys = trustedKeysFrom(configured)
    this.source = configured.length > 0 ? 'config' : null
  }

  /** Whether the installer configured keys (then a key offered at pairing is not taken). */
  get configured(): boolean {
    return this.source === 'config'
  }

  /**
   * A key offered when the board was paired. The configured ones win; the first pinned key stays (trust on
   * first use, as ssh): a later pairing offering another key is `refused`, so whoever takes over the
   * server (or its name) cannot re-pin a board by getting its token revoked and approving it again.
   */
  pin(offered: readonly ProvinceKey[]): 'configured' | 'pinned' | 'same' | 'refused' | 'none' {
    if (this.source === 'config') return 'configured'
    if (offered.length === 0) return 'none'
    if (this.source === 'pairing') return sameKeys(this.entries, offered) ? 'same' : 'refused'
    this.entries = [...offered]
    this.keys = trustedKeysFrom(offered)
    this.source = 'pairing'
    return 'pinned'
  }

  get state(): TrustState {
    return {
      mode: this.allowUnsigned ? 'lab' : this.keys.size > 0 ? 'signed' : 'no-key',
      keySource: this.source,
      keys: this.entries.map((k) => ({ keyId: k.keyId, fingerprint: keyFingerprint(k.publicKey) }))
    }
  }

  /**
   * The document inside what the server sent, or SignatureError. In lab mode a bare document, or an
   * envelope whose key the board does not know, is taken as it is; an envelope naming a trusted key
   * must still verify (a wrong signature there is tampering, lab or not).
   */
  open(raw: unknown): unknown {
    if (this.allowUnsigned) return openSigned(raw, this.knowsKeyOf(raw) ? this.keys : null)
    if (this.keys.size === 0) throw new SignatureError(isEnvelopeShaped(raw) ? 'unknown-key' : 'unsigned', NO_KEY)
    return openSigned(raw, this.keys)
  }

  private knowsKeyOf(raw: unknown): boolean {
    return isEnvelopeShaped(raw) && typeof (raw as { keyId?: unknown }).keyId === 'string' && this.keys.has((raw as { keyId: string }).keyId)
  }
}

function isEnvelopeShaped(raw: unknown): boolean {
  return typeof raw === 'object' && raw !== null && 'payload' in raw && 'signature' in raw
}

function sameKeys(a: readonly ProvinceKey[], b: readonly ProvinceKey[]): boolean {
  const print = (keys: readonly ProvinceKey[]) => keys.map((k) => `${k.keyId}:${keyFingerprint(k.publicKey)}`).sort().join(',')
  return print(a) === print(b)
}
