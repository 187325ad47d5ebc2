// electron-updater's generic feed, except that latest*.yml must carry the province's signature, checked on
// the exact text before it is parsed: a feed can withhold updates, never name a file the province did not sign.
import type { OutgoingHttpHeaders } from 'node:http'
import type { AppUpdater, CancellationToken, UpdateInfo } from 'electron-updater'
import type { ProviderRuntimeOptions } from 'electron-updater/out/providers/Provider'
import type { Logger } from '../../core/log'
import { SIGNATURE_SUFFIX, verifyUpdateMetadata, type UpdateTrust } from './metadata-signature'

/** Decides on each metadata text, and remembers which parsed metadata passed (the only ones the adapter downloads). */
export class UpdateGate {
  private readonly passed = new WeakSet<object>()

  constructor(
    private readonly trust: UpdateTrust,
    private readonly log: Logger
  ) {}

  /** Throws UpdateSignatureError (bilingual) unless `text` is signed by a trusted key, or the lab setting lets it through. */
  check(file: string, text: string, signature: string | null): void {
    const keyId = verifyUpdateMetadata(file, text, signature, this.trust)
    if (keyId === null) {
      this.log.warn('CẬP NHẬT KHÔNG KÝ được chấp nhận (cài đặt phòng thí nghiệm updates.allowUnsigned) / UNSIGNED update metadata accepted (lab setting updates.allowUnsigned)', { file })
    } else {
      this.log.info('update metadata signature verified', { file, keyId })
    }
  }

  accept(info: UpdateInfo): void {
    this.passed.add(info)
  }

  accepted(info: UpdateInfo | null): boolean {
    return info !== null && this.passed.has(info)
  }
}

/** electron-updater's options for a custom provider (its `CustomPublishOptions`, not re-exported). */
type CustomPublishOptions = Extract<Parameters<AppUpdater['setFeedURL']>[0], { provider: 'custom' }>

interface SignedFeedOptions extends CustomPublishOptions {
  url: string
  channel?: string | null
  gate: UpdateGate
}

type GenericProviderClass = typeof import('electron-updater/out/providers/GenericProvider.js').GenericProvider
let providerClass: Promise<NonNullable<CustomPublishOptions['updateProvider']>> | null = null

/** Loaded on first use, like electron-updater itself: an unpackaged run never needs it. */
function signedProvider(): NonNullable<typeof providerClass> {
  providerClass ??= import('electron-updater/out/providers/GenericProvider.js').then(({ GenericProvider }) => defineSignedProvider(GenericProvider))
  return providerClass
}

function defineSignedProvider(GenericProvider: GenericProviderClass) {
  return class SignedGenericProvider extends GenericProvider {
    private readonly gate: UpdateGate

    constructor(options: CustomPublishOptions, updater: AppUpdater, runtime: ProviderRuntimeOptions) {
      const { url, channel, gate } = options as SignedFeedOptions
      super({ provider: 'generic', url, channel: channel ?? null }, updater, runtime)
      this.gate = gate
    }

    /**
     * GenericProvider reads exactly one thing through here, the channel file (latest*.yml). Every text it
     * gets is verified with the `.sig` beside it before it is returned for parsing: what is parsed is
     * what was verified, byte for byte (a future caller of this path is refused, not let through).
     */
    protected override async httpRequest(url: URL, headers?: OutgoingHttpHeaders | null, token?: CancellationToken): Promise<string | null> {
      const text = await super.httpRequest(url, headers, token)
      const file = decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1))
      const signatureUrl = new URL(url.href)
      signatureUrl.pathname = `${url.pathname}${SIGNATURE_SUFFIX}`
      let signature: string | null
      try {
        signature = await super.httpRequest(signatureUrl, headers, token)
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error
        signature = null
      }
      this.gate.check(file, text ?? '', signature)
      return text
    }

    override async getLatestVersion(): Promise<UpdateInfo> {
      const info = await super.getLatestVersion()
      this.gate.accept(info)
      return info
    }
  }
}

/** The provider options for updater.setFeedURL: the province's generic feed, signature required. */
export async function signedFeed(url: string, channel: string | null, gate: UpdateGate): Promise<SignedFeedOptions> {
  return { provider: 'custom', updateProvider: await signedProvider(), url, channel, gate }
}

/**
 * The feed baked into app-update.yml at build time, as electron-updater itself reads it. Only a generic
 * feed can be checked this way; anything else is refused rather than used unchecked.
 */
export async function bakedFeed(updater: AppUpdater): Promise<{ url: string; channel: string | null }> {
  const config = await (updater as unknown as { configOnDisk: { value: Promise<{ provider?: string; url?: string; channel?: string | null }> } }).configOnDisk.value
  if (config.provider !== 'generic' || typeof config.url !== 'string') {
    throw new Error(
      `app-update.yml có nguồn cập nhật "${config.provider}" không kiểm tra chữ ký được; đặt updates.url trong shell.json / ` +
        `app-update.yml names a "${config.provider}" feed, whose signature cannot be checked; set updates.url in shell.json`
    )
  }
  return { url: config.url, channel: config.channel ?? null }
}
