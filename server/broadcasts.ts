// What the reference server sends out to its boards: publications (manifest + files), emergencies and their
// clearing, and remote commands. Each change is queued with the recorder and pushed once it is applied.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { pushEvents, type Command } from '../main/core/protocol/api'
import { describeIssues, Emergency } from '../main/core/protocol/manifest'
import { preparePublication, readContentFolder, type PublishOptions } from './content'
import { emergencyClearDocument, manifestChangedPayload, sealFor, type Signer } from './documents'
import type { IssuingClock } from './issuing-clock'
import type { ServerLog } from './log'
import type { PushHub } from './push'
import type { ServerState } from './state'
import type { Recorder } from './store/recorder'

const DEFAULT_EMERGENCY_TTL_SEC = 3600

export function checked<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (!result.success) throw new Error(`${what}: ${describeIssues(result.error)}`)
  return result.data
}

export interface BroadcastContext {
  state: ServerState
  record: Recorder
  push: PushHub
  signer: Signer | null
  log: ServerLog
  now: () => number
  issuing: IssuingClock
  /** Ties a queued change to the request that made it, and logs its failure. */
  stored(op: string, id: string, committed: Promise<void>): void
}

export class Broadcasts {
  constructor(private readonly ctx: BroadcastContext) {}

  /** The time for one new signed document (see IssuingClock); says so in the log when the wall clock went back. */
  private issuedNow(): number {
    const behind = this.ctx.issuing.behindMs()
    if (behind > 0) this.ctx.log.warn('clock-behind-signed', { behindMs: behind })
    return this.ctx.issuing.next()
  }

  command(kind: string, args: Record<string, string | number | boolean> = {}, opts: { deviceIds?: string[]; ttlSec?: number; expiresAt?: string } = {}): Command {
    const { record, push, signer, log } = this.ctx
    const now = this.issuedNow()
    const command: Command = {
      id: `lenh-${randomBytes(6).toString('hex')}`,
      kind,
      issuedAt: new Date(now).toISOString(),
      expiresAt: opts.expiresAt ?? new Date(now + (opts.ttlSec ?? 300) * 1000).toISOString(),
      args
    }
    const validity = { issuedAt: now, expiresAt: Date.parse(command.expiresAt) }
    this.ctx.stored('command', command.id, record.command(command, opts.deviceIds, () => {
      push.emitSealed(pushEvents.command, (deviceId, protocol) => sealFor('command', command, deviceId, protocol, validity, signer), opts.deviceIds)
    }))
    log.info('command-sent', { id: command.id, kind })
    return command
  }

  publish(manifest: object, files: Map<string, Buffer | string>, opts: PublishOptions = {}): string {
    const { state, record, push, log } = this.ctx
    const now = this.ctx.now()
    const { publication, files: sources } = preparePublication(manifest, files, (sha) => state.assets.get(sha), opts, now)
    this.ctx.stored('publish', publication.version, record.publish({ publication, files: sources }, opts.deviceIds, () => {
      push.emit(pushEvents.manifestChanged, manifestChangedPayload(publication.version, now), opts.deviceIds)
    }))
    log.info('published', { version: publication.version, deviceIds: opts.deviceIds ?? 'all', newFiles: sources.size })
    return publication.version
  }

  async publishFolder(folder: string, opts: { deviceIds?: string[] } = {}): Promise<string> {
    const { manifest, files } = await readContentFolder(folder)
    return this.publish(manifest, files, opts)
  }

  emergency(input: { title: string; body?: string; ttlSec?: number; id?: string }, opts: { deviceIds?: string[]; pushTo?: string[] } = {}): Emergency {
    const { record, push, signer, log } = this.ctx
    const now = this.issuedNow()
    const ttlSec = input.ttlSec ?? DEFAULT_EMERGENCY_TTL_SEC
    const emergency = checked(
      Emergency,
      {
        id: input.id ?? `em-${now.toString(36)}-${randomBytes(3).toString('hex')}`,
        issuedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + ttlSec * 1000).toISOString(),
        title: input.title,
        body: input.body ?? ''
      },
      'emergency'
    )
    const targets = opts.deviceIds ? new Set(opts.deviceIds) : 'all'
    const validity = { issuedAt: now, expiresAt: Date.parse(emergency.expiresAt) }
    const pushTo = opts.pushTo ?? opts.deviceIds
    this.ctx.stored('emergency', emergency.id, record.emergency({ emergency, targets, clearedFor: new Set(), clearedForAll: false }, now, () => {
      push.emitSealed(pushEvents.emergencyStart, (deviceId, protocol) => sealFor('emergency', emergency, deviceId, protocol, validity, signer), pushTo)
    }))
    log.info('emergency', { id: emergency.id, expiresAt: emergency.expiresAt, deviceIds: opts.deviceIds ?? 'all', pushedTo: pushTo ?? 'all' })
    return emergency
  }

  hasEmergency(id: string): boolean {
    return this.ctx.state.emergencies.has(id)
  }

  /** Clears for the given devices, or for every device it was sent to; an unknown id is still pushed (a board may hold it from before a restart). */
  clearEmergency(id: string, opts: { deviceIds?: string[] } = {}): void {
    const { state, record, push, signer, log } = this.ctx
    const known = state.emergencies.get(id)
    const targets = opts.deviceIds ?? (known && known.targets !== 'all' ? [...known.targets] : undefined)
    const now = this.issuedNow()
    const clear = emergencyClearDocument(id, now, known?.emergency.expiresAt)
    const validity = { issuedAt: now, expiresAt: Date.parse(clear.expiresAt) }
    this.ctx.stored('clear', id, record.clearEmergency(id, opts.deviceIds, () => {
      push.emitSealed(pushEvents.emergencyClear, (deviceId, protocol) => sealFor('emergency-clear', clear, deviceId, protocol, validity, signer), targets)
    }))
    log.info('emergency-cleared', { id, known: known !== undefined, deviceIds: targets ?? 'all' })
  }
}
