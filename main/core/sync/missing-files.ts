// The sync error a technician reads on the status overlay (and the server in the heartbeat) when a
// pass ends with files not yet in the cache: Vietnamese first, English second, naming each file and
// the items that show it (a server rewrites urls to hashes, so the item ids are what an operator knows).
import type { Asset, Manifest } from '../protocol/manifest'

/** Files named before the rest are only counted: the overlay shows a line, the heartbeat 2 000 chars. */
const LISTED = 5

/** The file as published: the last part of its URL, or the start of its hash when the URL is only the hash. */
export function fileNameOf(asset: Pick<Asset, 'url' | 'sha256'>): string {
  const path = asset.url.split(/[?#]/)[0]!
  let name = path.slice(path.lastIndexOf('/') + 1)
  try {
    name = decodeURIComponent(name)
  } catch {
    // Not valid percent-encoding: the raw text still names it.
  }
  const short = asset.sha256.slice(0, 12)
  return name === '' || name.toLowerCase().includes(asset.sha256.toLowerCase()) ? short : name
}

/** Ids of the items and emergencies that show each asset, by sha256. */
function usersOf(manifest: Manifest): Map<string, string[]> {
  const users = new Map<string, string[]>()
  const add = (sha256: string, id: string): void => void users.set(sha256, [...(users.get(sha256) ?? []), id])
  for (const playlist of manifest.playlists) for (const item of playlist.items) if ('asset' in item) add(item.asset, item.id)
  for (const emergency of manifest.emergencies) if (emergency.asset) add(emergency.asset, emergency.id)
  return users
}

/** E.g. "Còn thiếu 2 tệp / 2 files still missing: anh-lon.jpg (anh-lon), 7b28ca24f1ae (video-bao)". */
export function missingFilesMessage(missing: Pick<Asset, 'url' | 'sha256'>[], manifest: Manifest): string {
  const users = usersOf(manifest)
  const count = missing.length
  const names = missing.slice(0, LISTED).map((asset) => {
    const items = users.get(asset.sha256) ?? []
    return items.length > 0 ? `${fileNameOf(asset)} (${items.join(', ')})` : fileNameOf(asset)
  })
  const more = count > LISTED ? ` (+${count - LISTED})` : ''
  return `Còn thiếu ${count} tệp / ${count} ${count === 1 ? 'file' : 'files'} still missing: ${names.join(', ')}${more}`
}
