// Device configuration: where it comes from (config file, then command-line overrides) and what is valid.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh'

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

export const PlayerConfig = z.object({
  /** The name shown on the fallback slide; absent: the content's board name, else a generic one. */
  boardName: z.string().trim().min(1).max(200).optional(),
  timeZone: z.string().refine(isTimeZone, 'unknown IANA time zone').default(DEFAULT_TIME_ZONE),
  /** The source system. Absent: standalone mode, playing the bundled (or a local) content folder. */
  serverUrl: z
    .url({ protocol: /^https?$/ })
    .optional(),
  /** A local content folder holding manifest.json; defaults to the bundled demo content. */
  contentDir: z.string().min(1).optional()
})
export type PlayerConfig = z.infer<typeof PlayerConfig>

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Reads `<dataDir>/config.json` (missing is fine: all defaults) and applies overrides on top.
 * A config file that exists but is unreadable or invalid is an error: silently ignoring it would
 * leave an installer wondering why the board ignores what they set.
 */
export async function loadConfig(dataDir: string, overrides: Partial<PlayerConfig> = {}): Promise<PlayerConfig> {
  const path = join(dataDir, 'config.json')
  let fromFile: unknown = {}
  try {
    fromFile = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT') throw new ConfigError(`cannot read ${path}: ${(error as Error).message}`)
  }
  if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
    throw new ConfigError(`${path} must hold a JSON object`)
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
  const result = PlayerConfig.safeParse({ ...fromFile, ...defined })
  if (!result.success) {
    const why = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
    throw new ConfigError(`invalid configuration (${path} and command line): ${why}`)
  }
  return result.data
}
