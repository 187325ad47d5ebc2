// Who may use the browser shell's screen: one-time launch codes (the only secret on Chromium's command
// line, worthless once used) traded for an HttpOnly session cookie that the page's requests carry.
import { createHash, randomBytes } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The query parameter of a launch URL: `http://127.0.0.1:PORT/?launch=CODE`. */
export const LAUNCH_PARAM = 'launch'
/** Where a page request without a session or an unused code is sent; the shell watches Chromium for it. */
export const LAUNCH_REFUSED_PATH = '/launch-refused'
/** The file in the data dir holding a fresh launch URL when the shell starts no Chromium (--no-browser). */
export const LAUNCH_FILE = 'screen-launch-url'

/** Who a code was given to: the shell's own Chromium, or whoever reads the launch file (tests, another browser). */
export type LaunchHolder = 'chromium' | 'file'

/** Sessions kept at once (reloads reuse theirs; each new page of a test or Chromium start makes one). */
const MAX_SESSIONS = 8

const secret = (): string => randomBytes(32).toString('base64url')
/** Codes and sessions are kept by their hash: a lookup then reveals nothing usable through its timing. */
const digest = (value: string): string => createHash('sha256').update(value).digest('hex')

export interface Redeemed {
  holder: LaunchHolder
  /** The Set-Cookie header value that starts the session. */
  setCookie: string
}

export class ScreenSessions {
  /** Outstanding codes (by digest): at most one per holder, each good for one page load. */
  private readonly codes = new Map<string, LaunchHolder>()
  private readonly sessions = new Set<string>()
  /** Cookies are not kept apart by port: each shell on the box has its own name. */
  readonly cookieName: string

  constructor(
    private readonly origin: string,
    port: number,
    /** Absent: no launch file (the shell's own Chromium is the only screen). */
    private readonly launchFile?: string
  ) {
    this.cookieName = `bangtin-screen-${port}`
  }

  /** A fresh one-time launch URL for `holder`; the holder's earlier code, if unused, is void. */
  launchUrl(holder: LaunchHolder): string {
    for (const [key, owner] of this.codes) if (owner === holder) this.codes.delete(key)
    const code = secret()
    this.codes.set(digest(code), holder)
    return `${this.origin}/?${LAUNCH_PARAM}=${code}`
  }

  /** Writes a fresh launch URL to the launch file (0600, replaced whole), if there is one. */
  async writeLaunchFile(): Promise<void> {
    if (!this.launchFile) return
    await writePrivate(this.launchFile, `${this.launchUrl('file')}\n`)
  }

  /**
   * Trades an unused code for a new session (null: unknown or used). The code is spent at once, before
   * anything is awaited; a spent file code is replaced in the launch file before this resolves.
   */
  async redeem(code: string): Promise<Redeemed | null> {
    const key = digest(code)
    const holder = this.codes.get(key)
    if (!holder) return null
    this.codes.delete(key)
    const session = secret()
    this.sessions.add(digest(session))
    // Oldest first in a Set: the least recent sessions go when there are too many.
    for (const old of this.sessions) {
      if (this.sessions.size <= MAX_SESSIONS) break
      this.sessions.delete(old)
    }
    if (holder === 'file') await this.writeLaunchFile()
    return { holder, setCookie: `${this.cookieName}=${session}; Path=/; HttpOnly; SameSite=Strict` }
  }

  /** The live session a request's Cookie header carries (its cookie's value), or null. */
  sessionOf(cookieHeader: string | undefined): string | null {
    for (const part of (cookieHeader ?? '').split(';')) {
      const at = part.indexOf('=')
      if (at < 0 || part.slice(0, at).trim() !== this.cookieName) continue
      const value = part.slice(at + 1).trim()
      if (this.sessions.has(digest(value))) return value
    }
    return null
  }

  /**
   * Ends every session and voids Chromium's code (someone else used it first): Chromium starts afresh
   * with a new code. The launch file's code stays good: only this user can read it.
   */
  revokeAll(): void {
    this.sessions.clear()
    for (const [key, holder] of this.codes) if (holder === 'chromium') this.codes.delete(key)
  }
}

/** Replaces `file` with `text`, readable by this user only, so a reader never sees it half written. */
async function writePrivate(file: string, text: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o600)
  try {
    await handle.writeFile(text)
  } catch (error) {
    await handle.close()
    await rm(temp, { force: true })
    throw error
  }
  await handle.close()
  await rename(temp, file)
}
