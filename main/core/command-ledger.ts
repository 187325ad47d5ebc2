// Commands already carried out, remembered until they expire (across restarts), so a command
// delivered twice — a server resending after a lost acknowledgement — is answered, not run again.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { writeFileAtomic } from './fs-atomic'
import type { Logger } from './log'
import type { Command, CommandResult } from './protocol/api'

const Entry = z.object({ id: z.string(), expiresAt: z.string(), ok: z.boolean(), detail: z.string() })
const LedgerFile = z.object({ version: z.literal(1), done: z.array(Entry).max(10_000) })
type Entry = z.infer<typeof Entry>

/** Enough for a busy week of commands; the oldest go first when a flood would exceed it. */
const MAX_REMEMBERED = 500

export class CommandLedger {
  private done = new Map<string, Entry>()
  private writing: Promise<void> = Promise.resolve()

  constructor(
    private readonly stateDir: string,
    private readonly log: Logger,
    private readonly now: () => Date = () => new Date()
  ) {}

  private get file(): string {
    return join(this.stateDir, 'commands.json')
  }

  async load(): Promise<void> {
    try {
      const parsed = LedgerFile.parse(JSON.parse(await readFile(this.file, 'utf8')))
      this.done = new Map(parsed.done.map((e) => [e.id, e]))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('command ledger unreadable; starting afresh', { reason: String(error) })
    }
  }

  /**
   * Runs `command` once: a repeat of a command already carried out gets the first result back. The
   * result is on disk before it is returned, so a restart command cannot run again after the restart.
   */
  async run(command: Command, execute: (command: Command) => Promise<CommandResult>): Promise<CommandResult> {
    const seen = this.done.get(command.id)
    if (seen) return { ok: seen.ok, detail: `already carried out: ${seen.detail}`.slice(0, 2000) }
    const result = await execute(command)
    this.remember({ id: command.id, expiresAt: command.expiresAt, ok: result.ok, detail: result.detail.slice(0, 2000) })
    await this.writing
    return result
  }

  private remember(entry: Entry): void {
    const now = this.now().getTime()
    for (const [id, old] of this.done) if (Date.parse(old.expiresAt) <= now) this.done.delete(id)
    this.done.set(entry.id, entry)
    for (const id of this.done.keys()) {
      if (this.done.size <= MAX_REMEMBERED) break
      this.done.delete(id)
    }
    const snapshot = JSON.stringify({ version: 1, done: [...this.done.values()] })
    this.writing = this.writing
      .then(() => writeFileAtomic(this.file, snapshot))
      .catch((error: unknown) => this.log.error('could not save the command ledger', { reason: String(error) }))
  }
}
