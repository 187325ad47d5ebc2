// The host side of the screen contract: keeps what should be on screen and tells every attached
// screen, and collects what the screens report back (proof of play, failures).
import type { BoardInfo, Program, ScreenPayload } from '../../contract/screen'
import type { Logger } from './log'
import type { ScreenLink } from './screen-link'

export type PlayedEvent = ScreenPayload<'played'>
export type ItemFailure = ScreenPayload<'itemFailed'> & { at: number }

/** Reports kept in memory until the reporting pipeline takes them; bounded so a long offline spell cannot grow it. */
const MAX_KEPT_REPORTS = 1000

export class PlayerHost {
  private readonly screens = new Set<ScreenLink>()
  private program: Program | null = null
  readonly played: PlayedEvent[] = []
  readonly failures: ItemFailure[] = []

  constructor(
    private board: BoardInfo,
    private readonly log: Logger
  ) {}

  get screenCount(): number {
    return this.screens.size
  }

  get currentProgram(): Program | null {
    return this.program
  }

  attach(link: ScreenLink): void {
    this.screens.add(link)
    link.onClose(() => this.screens.delete(link))
    link.onMessage((message) => {
      switch (message.verb) {
        case 'ready':
          this.log.info('screen ready', { userAgent: message.payload.userAgent })
          link.send('show', { board: this.board, program: this.program })
          break
        case 'played':
          this.log.info('item played', message.payload)
          keepBounded(this.played, message.payload)
          break
        case 'itemFailed':
          this.log.warn('item failed on screen', message.payload)
          keepBounded(this.failures, { ...message.payload, at: Date.now() })
          break
        case 'pong':
          break
      }
    })
  }

  setProgram(program: Program | null): void {
    this.program = program
    this.broadcast()
  }

  setBoard(board: BoardInfo): void {
    this.board = board
    this.broadcast()
  }

  private broadcast(): void {
    for (const screen of this.screens) screen.send('show', { board: this.board, program: this.program })
  }
}

function keepBounded<T>(list: T[], entry: T): void {
  list.push(entry)
  if (list.length > MAX_KEPT_REPORTS) list.splice(0, list.length - MAX_KEPT_REPORTS)
}
