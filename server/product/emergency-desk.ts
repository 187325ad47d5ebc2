// The emergency desk as the product runs it: each send, re-send and clear is answered only once the reference
// server has committed what it pushed (its durable()), so an acknowledged emergency or clear survives kill -9.
import { EmergencyDesk, type SendInput } from '../editorial/emergencies'
import type { Actor } from '../editorial/errors'

export class DurableEmergencyDesk extends EmergencyDesk {
  constructor(
    options: ConstructorParameters<typeof EmergencyDesk>[0],
    private readonly durable: () => Promise<void>
  ) {
    super(options)
  }

  override async send(input: SendInput, actor: Actor): ReturnType<EmergencyDesk['send']> {
    const sent = await super.send(input, actor)
    await this.durable()
    return sent
  }

  override async resend(id: string, actor: Actor, opts: Parameters<EmergencyDesk['resend']>[2] = {}): ReturnType<EmergencyDesk['resend']> {
    const done = await super.resend(id, actor, opts)
    await this.durable()
    return done
  }

  override async clear(id: string, actor: Actor, opts: Parameters<EmergencyDesk['clear']>[2] = {}): ReturnType<EmergencyDesk['clear']> {
    const done = await super.clear(id, actor, opts)
    await this.durable()
    return done
  }
}
