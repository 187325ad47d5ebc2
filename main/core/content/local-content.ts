// Standalone content: a folder with manifest.json and its files (the bundled demo, or one a technician
// copies onto the device). Its files enter the same verified cache as downloaded ones.
import { readFile, realpath } from 'node:fs/promises'
import { join, resolve, sep } from 'node:path'
import type { ContentCache } from '../cache/content-cache'
import type { Logger } from '../log'
import { type Manifest, ManifestError, parseManifest } from '../protocol/manifest'

export interface LocalContentResult {
  manifest: Manifest
  /** Assets that could not be imported (missing, wrong bytes, outside the folder), with why. */
  failed: { sha256: string; reason: string }[]
}

export async function loadLocalContent(folder: string, cache: ContentCache, log: Logger): Promise<LocalContentResult> {
  const manifestPath = join(folder, 'manifest.json')
  let json: unknown
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'))
  } catch (error) {
    throw new ManifestError(`cannot read ${manifestPath}: ${(error as Error).message}`)
  }
  const manifest = parseManifest(json)
  // What this folder names is what the board shows: anything else in the cache is retired.
  cache.space.reference([manifest])
  const root = await realpath(folder)
  const failed: LocalContentResult['failed'] = []
  for (const asset of manifest.assets) {
    if (cache.has(asset.sha256)) continue
    try {
      const path = await realpath(resolve(root, asset.url))
      // A manifest may only name files inside its own folder.
      if (!path.startsWith(root + sep)) throw new Error(`${asset.url} is outside the content folder`)
      await cache.importFile(asset, path)
      log.info('imported local asset', { sha256: asset.sha256, url: asset.url })
    } catch (error) {
      const reason = (error as Error).message
      failed.push({ sha256: asset.sha256, reason })
      log.error('local asset not imported', { sha256: asset.sha256, url: asset.url, reason })
    }
  }
  return { manifest, failed }
}
