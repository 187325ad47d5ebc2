// Runs the deployment's display power commands (e.g. `xset dpms force off` / `on`, or a vendor tool
// for the LED controller) when the display hours begin and end. The screen is black while off.
import { execFile } from 'node:child_process'
import type { Logger } from './log'

export interface DisplayPowerCommands {
  on?: string
  off?: string
}

const COMMAND_TIMEOUT_MS = 15_000

export class DisplayPower {
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly commands: DisplayPowerCommands,
    private readonly log: Logger
  ) {}

  /** Queues the command for the new state; commands run one at a time, in order, never in parallel. */
  set(on: boolean): Promise<void> {
    const command = on ? this.commands.on : this.commands.off
    this.log.info('display power', { on, command: command ?? null })
    if (!command) return this.running
    this.running = this.running.then(() => this.run(command, on))
    return this.running
  }

  private run(command: string, on: boolean): Promise<void> {
    return new Promise((resolve) => {
      // sh -c: the command is the operator's own configuration, written as they would type it.
      execFile('/bin/sh', ['-c', command], { timeout: COMMAND_TIMEOUT_MS }, (error, _stdout, stderr) => {
        if (error) this.log.error('display power command failed', { on, command, reason: error.message, stderr: stderr.slice(-500) })
        resolve()
      })
    })
  }
}
