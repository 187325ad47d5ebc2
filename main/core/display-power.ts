// Runs the deployment's display power commands (e.g. `xset dpms force off` / `on`, or a vendor tool
// for the LED controller) when the display hours begin and end. The screen is black while off.
import { execFile } from 'node:child_process'
import type { Logger } from './log'

export interface DisplayPowerCommands {
  on?: string
  off?: string
}

export interface DisplayPowerOptions {
  /**
   * Follow the schedule only after release(): at boot the director first plans without content (so kept
   * emergencies show at once), then with the stored manifest; acting on both would flap the display.
   */
  held?: boolean
}

const COMMAND_TIMEOUT_MS = 15_000

export class DisplayPower {
  private running: Promise<void> = Promise.resolve()
  private held: boolean
  /** What the schedule last asked for (kept while held). */
  private wanted: boolean | null = null
  /** The state the last command set; null until one has run (the display's state at boot is unknown). */
  private applied: boolean | null = null

  constructor(
    private readonly commands: DisplayPowerCommands,
    private readonly log: Logger,
    options: DisplayPowerOptions = {}
  ) {
    this.held = options.held ?? false
  }

  /** The schedule's wish: acted on once released, and only when it differs from the state last set. */
  follow(on: boolean): Promise<void> {
    this.wanted = on
    if (this.held || this.applied === on) return this.running
    return this.set(on)
  }

  /** The boot decision is made: from now on the schedule's wishes run, starting with the latest one. */
  release(): Promise<void> {
    if (!this.held) return this.running
    this.held = false
    return this.wanted === null ? this.running : this.follow(this.wanted)
  }

  /** Runs the command for the new state (a remote command always runs); one at a time, in order, never in parallel. */
  set(on: boolean): Promise<void> {
    const command = on ? this.commands.on : this.commands.off
    this.applied = on
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
