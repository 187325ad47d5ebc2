// What the source system pushes, checked before anything acts on it: an emergency, its clear and a
// remote command must be signed by the province (unless in lab mode), addressed to this board and
// unexpired. Every command is answered, carried out or refused with the reason; a refused emergency or
// clear is reported.
import type { Logger } from '../log'
import { Command, COMMAND_KINDS, EmergencyClear, type Ack, type CommandResult, type Problem } from '../protocol/api'
import { isAddressed } from '../protocol/addressed'
import { Emergency } from '../protocol/manifest'
import { parseBoundedJson } from '../protocol/json-limits'
import { assertNotExpired, SignatureError } from '../protocol/signing'
import type { BoardClock } from '../time/board-clock'
import type { DocumentGate } from './document-gate'
import type { Pushed } from './source-session'

export interface InboxOptions {
  /** Where pushed messages come from, and where answers and refusals go: the source session. */
  source: {
    onPushed(listener: (pushed: Pushed) => void): () => void
    ack(ack: Ack): void
    problem(kind: Problem['kind'], detail: string, ref?: string): void
  }
  /** Opens what the server pushed: signature (the province's keys or lab mode, content-trust.ts), audience, order, expiry (signed documents v2). */
  gate: Pick<DocumentGate, 'open'>
  clock: Pick<BoardClock, 'now' | 'passedMs'>
  log: Logger
  onEmergencyStart(emergency: Emergency): void
  onEmergencyClear(clear: EmergencyClear): void
  /** Carries out a command (authenticated and unexpired); absent: every command is refused. */
  onCommand?(command: Command): Promise<CommandResult>
}

export class Inbox {
  private readonly unsubscribe: () => void

  constructor(private readonly options: InboxOptions) {
    this.unsubscribe = options.source.onPushed((pushed) => {
      if (pushed.kind === 'emergency-start') this.acceptEmergency(pushed.raw)
      else if (pushed.kind === 'emergency-clear') this.acceptEmergencyClear(pushed.raw)
      else void this.acceptCommand(pushed.raw)
    })
  }

  dispose(): void {
    this.unsubscribe()
  }

  private acceptEmergency(raw: unknown): void {
    const { clock } = this.options
    try {
      const emergency = this.options.gate.open(raw, 'emergency', (body) => Emergency.parse(body)).body
      // Refused as expired only when certainly expired: a wall clock that jumped ahead must not drop a warning.
      assertNotExpired(emergency.expiresAt, new Date(clock.passedMs()), `emergency ${emergency.id}`)
      this.options.onEmergencyStart(emergency)
    } catch (error) {
      this.refused(error, `emergency refused: ${(error as Error).message}`)
    }
  }

  private acceptEmergencyClear(raw: unknown): void {
    try {
      const clear = this.options.gate.open(raw, 'emergency-clear', (body) => EmergencyClear.parse(body)).body
      assertNotExpired(clear.expiresAt, this.options.clock.now(), `emergency clear ${clear.id}`)
      this.options.onEmergencyClear(clear)
    } catch (error) {
      this.refused(error, `emergency clear refused: ${(error as Error).message}`)
    }
  }

  /** Every command is answered: carried out, or refused with the reason (expired, unsigned, unknown…). */
  private async acceptCommand(raw: unknown): Promise<void> {
    const { source, clock, log } = this.options
    const answer = (id: string, result: CommandResult): void =>
      source.ack({ kind: 'command', id, at: clock.now().toISOString(), ok: result.ok, detail: result.detail.slice(0, 2000) })
    // The id is read before any check, so even a refusal names what it refuses.
    const claimed = Command.pick({ id: true }).safeParse(claimedBody(isEnvelope(raw) ? safeJson(raw.payload) : raw))
    const id = claimed.success ? claimed.data.id : 'unknown'
    let command: Command
    try {
      command = this.options.gate.open(raw, 'command', (body) => Command.parse(body)).body
      assertNotExpired(command.expiresAt, clock.now(), `command ${command.id}`)
    } catch (error) {
      this.refused(error, `command refused: ${(error as Error).message}`)
      return answer(id, { ok: false, detail: `refused: ${(error as Error).message}` })
    }
    if (!(COMMAND_KINDS as readonly string[]).includes(command.kind)) return answer(command.id, { ok: false, detail: `refused: unknown command ${command.kind}` })
    if (!this.options.onCommand) return answer(command.id, { ok: false, detail: 'refused: this board takes no commands' })
    log.info('command', { id: command.id, kind: command.kind })
    const result = await this.options.onCommand(command).catch((error: Error) => ({ ok: false, detail: `failed: ${error.message}` }))
    answer(command.id, result)
  }

  private refused(error: unknown, detail: string): void {
    this.options.source.problem(error instanceof SignatureError ? 'signature-refused' : 'push-refused', detail)
  }
}

function isEnvelope(raw: unknown): raw is { payload: string } {
  return typeof raw === 'object' && raw !== null && typeof (raw as { payload?: unknown }).payload === 'string'
}

/** An addressed document's body, or the document itself (protocol v1). */
function claimedBody(document: unknown): unknown {
  return isAddressed(document) ? (document as { body?: unknown }).body : document
}

/** Unverified text, read only for the id to answer with: measured first (json-limits), null when refused or not JSON. */
function safeJson(text: string): unknown {
  try {
    return parseBoundedJson(text, 'command')
  } catch {
    return null
  }
}
