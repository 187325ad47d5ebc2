// Settings that belong to the Electron shell only (display choice, recovery bounds, updates), read from
// <userData>/shell.json next to the core's config.json. Missing file: all defaults; a broken one: defaults plus a loud log.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import type { Logger } from '../core/log'
import { publicKeyFrom } from '../core/protocol/signing'

const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time of day must be HH:MM')

const isEd25519 = (text: string): boolean => {
  try {
    publicKeyFrom(text)
    return true
  } catch {
    return false
  }
}

export const ShellConfig = z.object({
  /** Displays to fill, by Electron display id; absent or none connected: the largest display. */
  displayIds: z.array(z.number().int()).max(8).default([]),
  /** One kiosk window per connected display (all showing the same program) instead of one. */
  allDisplays: z.boolean().default(false),
  recovery: z
    .object({
      /** A renderer unresponsive this long is reloaded. */
      unresponsiveReloadSec: z.number().int().min(5).max(600).default(30),
      /** How often the window's screen is looked at; one silent for missedPingsBeforeRecreate times this is recreated (the core pings every 5 s). */
      pingIntervalSec: z.number().int().min(2).max(300).default(10),
      missedPingsBeforeRecreate: z.number().int().min(2).max(20).default(3),
      /** Resident memory (all processes) above this restarts the app cleanly. */
      memoryCeilingMb: z.number().int().min(256).max(65536).default(1536),
      /** A daily restart at this time (board time zone), skipped while the display is on. Absent: none. */
      nightlyRestartAt: TimeOfDay.optional()
    })
    .prefault({}),
  updates: z
    .object({
      enabled: z.boolean().default(true),
      /** The province's own update server (generic provider); absent: the URL built into app-update.yml. */
      url: z.url({ protocol: /^https$/ }).optional(),
      checkIntervalMin: z.number().int().min(15).max(7 * 24 * 60).default(240),
      /** Installing is allowed when the display is off, or inside this window (board time zone). */
      installWindow: z.object({ from: TimeOfDay, to: TimeOfDay }).default({ from: '01:00', to: '04:30' }),
      /** The new version must report "playing" within this after its first start, or it is rolled back / reported. */
      verifyWithinMin: z.number().int().min(2).max(120).default(15),
      /** Starts of the new version that may end without "playing" before it is treated as failed. */
      maxStartsUnverified: z.number().int().min(1).max(10).default(3),
      /**
       * The province's update-signing public keys (Ed25519, PEM or base64 SPKI; several during a rotation).
       * Update metadata must carry a signature by one of them; without any, updates are off.
       */
      trustedKeys: z
        .array(z.object({ keyId: z.string().min(1).max(200), publicKey: z.string().min(40).max(2000).refine(isEd25519, 'not an Ed25519 public key') }))
        .max(8)
        .default([]),
      /** Lab only: accept update metadata without a signature (logged loudly at every check). Never on a province board. */
      allowUnsigned: z.boolean().default(false)
    })
    .prefault({})
})
export type ShellConfig = z.infer<typeof ShellConfig>

export const SHELL_CONFIG_FILE = 'shell.json'

export function parseShellConfig(raw: unknown): ShellConfig {
  return ShellConfig.parse(raw)
}

/** Never throws: a kiosk with a typo in shell.json must still play, so a bad file means defaults and an error line. */
export async function loadShellConfig(userData: string, log: Logger): Promise<ShellConfig> {
  const path = join(userData, SHELL_CONFIG_FILE)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.error('shell config unreadable; using defaults', { path, reason: (error as Error).message })
    return ShellConfig.parse({})
  }
  try {
    return ShellConfig.parse(JSON.parse(text))
  } catch (error) {
    log.error('shell config invalid; using defaults', { path, reason: (error as Error).message })
    return ShellConfig.parse({})
  }
}
