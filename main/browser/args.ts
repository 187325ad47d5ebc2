// Command-line flags of the browser shell (also usable for provisioning: server, board name, time zone).
import { parseArgs } from 'node:util'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export interface ShellArgs {
  dataDir: string
  port: number
  /** Start the screen server only; something else (a test, another browser) opens the page. */
  launchBrowser: boolean
  headless: boolean
  chromiumArgs: string[]
  /** Chromium (all its processes) above this, in MB, is restarted (see memory-watch.ts). */
  memoryCeilingMb: number
  contentDir?: string
  boardName?: string
  timeZone?: string
  serverUrl?: string
  /** The province's public keys: key id → PEM text read from the given file. */
  trustedKeys?: { keyId: string; publicKey: string }[]
  displayHours?: { on: string; off: string }
}

export const USAGE = `Usage: node out/main/browser.js [options]
  --data-dir DIR       device data (config.json, cache); default $XDG_DATA_HOME/bangtin-player
  --content DIR        play this content folder (holding manifest.json) instead of the bundled demo
  --board-name NAME    name shown on the board's fallback slide
  --time-zone ZONE     IANA time zone (default Asia/Ho_Chi_Minh)
  --server URL         source-system URL
  --trusted-key ID=FILE  the province's Ed25519 public key (PEM file) under key id ID (repeatable)
  --display-hours HH:MM-HH:MM  display on/off times when the content sets none, e.g. 05:30-22:00
  --port N             loopback port for the screen (default 0: any free port)
  --no-browser         do not launch Chromium: the screen's address is printed (no secret), and a fresh
                       one-time URL that opens it is kept in DATA-DIR/screen-launch-url (0600)
  --headless           run Chromium headless (tests, servers without a display)
  --chromium-arg FLAG  extra Chromium flag (repeatable), e.g. --chromium-arg=--disable-gpu
  --memory-ceiling-mb N  restart Chromium when its processes stay above N MB (default 1536)
  --help               this text`

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'bangtin-player')
}

export function parseShellArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ShellArgs | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'data-dir': { type: 'string' },
      content: { type: 'string' },
      'board-name': { type: 'string' },
      'time-zone': { type: 'string' },
      server: { type: 'string' },
      'trusted-key': { type: 'string', multiple: true, default: [] },
      'display-hours': { type: 'string' },
      port: { type: 'string', default: '0' },
      'no-browser': { type: 'boolean', default: false },
      headless: { type: 'boolean', default: false },
      'chromium-arg': { type: 'string', multiple: true, default: [] },
      'memory-ceiling-mb': { type: 'string', default: '1536' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return 'help'
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${values.port}`)
  const memoryCeilingMb = Number(values['memory-ceiling-mb'])
  // The same bounds as the Electron shell's shell.json (recovery.memoryCeilingMb).
  if (!Number.isInteger(memoryCeilingMb) || memoryCeilingMb < 256 || memoryCeilingMb > 65536) {
    throw new Error(`--memory-ceiling-mb must be a whole number of MB, 256–65536, got ${values['memory-ceiling-mb']}`)
  }
  const trustedKeys = values['trusted-key'].map((entry) => {
    const match = /^([^=]+)=(.+)$/.exec(entry)
    if (!match) throw new Error(`--trusted-key takes KEYID=FILE, got ${entry}`)
    try {
      return { keyId: match[1]!, publicKey: readFileSync(resolve(match[2]!), 'utf8') }
    } catch (error) {
      throw new Error(`--trusted-key ${match[1]}: cannot read ${match[2]}: ${(error as Error).message}`)
    }
  })
  let displayHours: ShellArgs['displayHours']
  if (values['display-hours'] !== undefined) {
    const match = /^(\d\d:\d\d)-(\d\d:\d\d)$/.exec(values['display-hours'])
    if (!match) throw new Error(`--display-hours takes HH:MM-HH:MM, got ${values['display-hours']}`)
    displayHours = { on: match[1]!, off: match[2]! }
  }
  return {
    ...(trustedKeys.length > 0 ? { trustedKeys } : {}),
    ...(displayHours ? { displayHours } : {}),
    dataDir: resolve(values['data-dir'] ?? defaultDataDir(env)),
    port,
    launchBrowser: !values['no-browser'],
    headless: values.headless,
    chromiumArgs: values['chromium-arg'],
    memoryCeilingMb,
    contentDir: values.content ? resolve(values.content) : undefined,
    boardName: values['board-name'],
    timeZone: values['time-zone'],
    serverUrl: values.server
  }
}
