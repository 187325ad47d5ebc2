// Turns what an operator publishes (a manifest plus its files, or a content folder) into a stored
// publication: asset urls rewritten to the server's content-addressed path, files checked.
import { createHash } from 'node:crypto'
import { createReadStream, statSync } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { paths } from '../main/core/protocol/api'
import { describeIssues, Manifest, ManifestError } from '../main/core/protocol/manifest'
import type { AssetSource, Publication } from './state'

export interface PublishOptions {
  deviceIds?: string[]
  version?: string
  /** Store the manifest even if it fails the schema (tests of a board refusing a bad manifest). */
  allowInvalid?: boolean
}

export interface PreparedPublication {
  publication: Publication
  /** New files to store, by sha256. */
  files: Map<string, AssetSource>
}

const SHA256 = /^[0-9a-f]{64}$/

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function isRemoteUrl(url: unknown): boolean {
  return typeof url === 'string' && /^https?:\/\//i.test(url)
}

/** Checks the files: a Buffer must hash to its key (cheap); a path must be an absolute, readable file (hashing 100 MB synchronously is not). */
function assetSources(files: Map<string, Buffer | string>): Map<string, AssetSource> {
  const sources = new Map<string, AssetSource>()
  for (const [sha, file] of files) {
    if (!SHA256.test(sha)) throw new Error(`file key ${sha} is not a lowercase sha256`)
    if (typeof file === 'string') {
      if (!isAbsolute(file)) throw new Error(`file for ${sha} must be an absolute path, got ${file}`)
      const info = statSync(file)
      if (!info.isFile()) throw new Error(`${file} is not a file`)
      sources.set(sha, { kind: 'file', path: file, size: info.size })
    } else {
      const actual = sha256Of(file)
      if (actual !== sha) throw new Error(`bytes given for ${sha} hash to ${actual}`)
      sources.set(sha, { kind: 'buffer', bytes: file })
    }
  }
  return sources
}

/**
 * Prepares a publication. `stored` looks up files published earlier (content-addressed, so a
 * re-publish needs only the new ones). Throws saying what is wrong: a missing file, a size that does
 * not match, a manifest the schema refuses (unless allowInvalid).
 */
export function preparePublication(
  manifest: object,
  files: Map<string, Buffer | string>,
  stored: (sha256: string) => AssetSource | undefined,
  options: Pick<PublishOptions, 'version' | 'allowInvalid'>,
  now: number
): PreparedPublication {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('manifest must be a JSON object')
  // A deep copy that is plain JSON: later changes to the caller's object must not change what is served.
  const document = JSON.parse(JSON.stringify(manifest)) as Record<string, unknown>
  delete document.issuedAt
  delete document.expiresAt
  if (options.version !== undefined) document.version = options.version

  const sources = assetSources(files)
  if (Array.isArray(document.assets)) {
    for (const asset of document.assets as unknown[]) {
      if (typeof asset !== 'object' || asset === null) continue
      const entry = asset as Record<string, unknown>
      const sha = typeof entry.sha256 === 'string' ? entry.sha256 : ''
      const source = sources.get(sha) ?? stored(sha)
      if (source) {
        const size = source.kind === 'buffer' ? source.bytes.length : source.size
        if (!options.allowInvalid && typeof entry.size === 'number' && entry.size !== size) {
          throw new Error(`asset ${sha}: manifest says ${entry.size} bytes, the file has ${size}`)
        }
        entry.url = paths.asset(sha)
      } else if (!isRemoteUrl(entry.url) && !options.allowInvalid) {
        // A remote url is the operator's choice (a CDN); anything else needs its bytes here.
        throw new Error(`no file for asset ${sha || '(no sha256)'} (url ${String(entry.url)})`)
      }
    }
  }

  if (!options.allowInvalid) {
    const result = Manifest.safeParse(document)
    if (!result.success) throw new ManifestError(`invalid manifest: ${describeIssues(result.error)}`)
  }
  const version = typeof document.version === 'string' && document.version ? document.version : `unversioned-${now}`
  document.version = version
  return { publication: { version, document, publishedAt: now }, files: sources }
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Reads a content folder (manifest.json + files named by the assets' relative urls, like
 * assets/demo), hashing every file: an operator learns about a stale manifest here, not on a board.
 */
export async function readContentFolder(folder: string): Promise<{ manifest: Record<string, unknown>; files: Map<string, string> }> {
  const root = resolve(folder)
  const text = await readFile(join(root, 'manifest.json'), 'utf8')
  let manifest: unknown
  try {
    manifest = JSON.parse(text)
  } catch (error) {
    throw new Error(`${join(root, 'manifest.json')} is not JSON: ${(error as Error).message}`)
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new Error('manifest.json must hold a JSON object')
  const document = manifest as Record<string, unknown>
  const files = new Map<string, string>()
  const assets = Array.isArray(document.assets) ? (document.assets as unknown[]) : []
  for (const asset of assets) {
    if (typeof asset !== 'object' || asset === null) continue
    const { sha256, url } = asset as Record<string, unknown>
    if (typeof sha256 !== 'string' || typeof url !== 'string' || isRemoteUrl(url)) continue
    const path = resolve(root, decodeURIComponent(url))
    const inside = relative(root, path)
    if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`asset url ${url} points outside the folder`)
    const info = await stat(path).catch(() => null)
    if (!info?.isFile()) throw new Error(`asset ${sha256}: no file ${url} in ${root}`)
    const actual = await hashFile(path)
    if (actual !== sha256) throw new Error(`asset ${url}: its sha256 is ${actual}, the manifest says ${sha256}`)
    files.set(sha256, path)
  }
  return { manifest: document, files }
}
