// The host side of the screen contract: keeps what should be on screen and tells every attached
// screen, and collects what the screens report back (proof of play, failures, emergencies shown).
import {
  contractIssues,
  hostToScreen,
  Program,
  type BoardInfo,
  type EmergencyPayload,
  type FirstShowPayload,
  type ScreenMessage,
  type ScreenPayload,
  type ShowPayload,
  type StatusPayload
} from '../../contract/screen'
import { Emitter } from './events'
import type { Logger } from './log'
import { screenText } from './schedule/screen-text'
import type { ScreenLink } from './screen-link'

export type PlayedEvent = ScreenPayload<'played'>
export type ItemFailure = ScreenPayload<'itemFailed'> & { at: number }
/** What the schedule puts on screen (the board's identity, pairing state and volume are the host's own). */
export type ScreenView = Omit<ShowPayload, 'board' | 'pairing' | 'volume'> & EmergencyPayload
/** Something that did not reach the screen whole: the host kept it back (`host`), or the screen refused it (`screen`). */
export interface ScreenRefusal {
  by: 'host' | 'screen'
  verb: string
  reason: string
}
export type PairingDisplay = ShowPayload['pairing']

/** The latest played reports kept in memory (the heartbeat names the last); bounded, as a board runs for years. */
const MAX_KEPT_REPORTS = 1000

export const EMPTY_VIEW: ScreenView = {
  displayOn: true,
  zones: [{ zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }, program: null }],
  emergency: null
}

/** Every validated message a screen sent, with the screen it came from (the liveness watchdog reads them). */
export interface ScreenHeard {
  link: ScreenLink
  message: ScreenMessage
}

export class PlayerHost {
  private readonly screens = new Set<ScreenLink>()
  private view: ScreenView = EMPTY_VIEW
  private pairing: PairingDisplay = null
  private volume = 1
  private status: StatusPayload | null = null
  readonly played: PlayedEvent[] = []
  private readonly playedEvents: Emitter<PlayedEvent>
  private readonly failedEvents: Emitter<ItemFailure>
  private readonly emergencyShownEvents: Emitter<{ id: string; at: number }>
  private readonly attachedEvents: Emitter<ScreenLink>
  private readonly closedEvents: Emitter<ScreenLink>
  private readonly heardEvents: Emitter<ScreenHeard>
  private readonly refusedEvents: Emitter<ScreenRefusal>
  /** The last `show` as checked against the contract (null: to check again). */
  private checkedShow: ShowPayload | null = null
  private lastHostRefusal = ''

  private board: BoardInfo

  constructor(
    board: BoardInfo,
    private readonly log: Logger
  ) {
    this.board = screenBoard(board)
    // A listener's bug is logged, and the other listeners and the screen's next message are still served.
    const failed = (error: unknown): void => log.error('screen event listener failed', { reason: (error as Error)?.message ?? String(error) })
    this.playedEvents = new Emitter(failed)
    this.failedEvents = new Emitter(failed)
    this.emergencyShownEvents = new Emitter(failed)
    this.attachedEvents = new Emitter(failed)
    this.closedEvents = new Emitter(failed)
    this.heardEvents = new Emitter(failed)
    this.refusedEvents = new Emitter(failed)
  }

  /** A message the screen refused, or a part of the show the host kept back because the contract refuses it. */
  onRefused(listener: (refusal: ScreenRefusal) => void): () => void {
    return this.refusedEvents.on(listener)
  }

  /** A screen painted an item and took it off again (proof of play); returns the unsubscribe. */
  onPlayed(listener: (event: PlayedEvent) => void): () => void {
    return this.playedEvents.on(listener)
  }

  /** A screen could not play an item. */
  onItemFailed(listener: (failure: ItemFailure) => void): () => void {
    return this.failedEvents.on(listener)
  }

  /** A screen first painted an emergency (`at`: the screen's wall clock). */
  onEmergencyShown(listener: (shown: { id: string; at: number }) => void): () => void {
    return this.emergencyShownEvents.on(listener)
  }

  /** A screen connected. */
  onScreenAttached(listener: (link: ScreenLink) => void): () => void {
    return this.attachedEvents.on(listener)
  }

  /** A screen went away. */
  onScreenClosed(listener: (link: ScreenLink) => void): () => void {
    return this.closedEvents.on(listener)
  }

  /** Any message from any screen, before the host acts on it. */
  onScreenMessage(listener: (heard: ScreenHeard) => void): () => void {
    return this.heardEvents.on(listener)
  }

  get screenCount(): number {
    return this.screens.size
  }

  get boardName(): string {
    return this.board.name
  }

  get currentView(): ScreenView {
    return this.view
  }

  attach(link: ScreenLink): void {
    this.screens.add(link)
    this.attachedEvents.emit(link)
    link.onClose(() => {
      if (this.screens.delete(link)) this.closedEvents.emit(link)
    })
    link.onMessage((message) => {
      this.heardEvents.emit({ link, message })
      switch (message.verb) {
        case 'ready':
          this.log.info('screen ready', { userAgent: message.payload.userAgent })
          // The emergency first, on its own: nothing in the programme can hold it back.
          link.send('emergency', { emergency: this.view.emergency })
          link.send('show', this.showPayload())
          if (this.status) link.send('status', this.status)
          break
        case 'played':
          this.log.info('item played', message.payload)
          keepBounded(this.played, message.payload)
          this.playedEvents.emit(message.payload)
          break
        case 'itemFailed': {
          this.log.warn('item failed on screen', message.payload)
          this.failedEvents.emit({ ...message.payload, at: Date.now() })
          break
        }
        case 'emergencyShown':
          this.log.info('emergency shown', message.payload)
          this.emergencyShownEvents.emit({ id: message.payload.id, at: message.payload.at })
          break
        case 'rejected':
          this.log.error('screen rejected a message', message.payload)
          this.refusedEvents.emit({ by: 'screen', ...message.payload })
          break
      }
    })
  }

  show(view: ScreenView): void {
    this.view = view
    this.broadcast()
  }

  /** Asks every screen to answer (the liveness watchdog sends these and reads the answers). */
  ping(seq: number): void {
    for (const screen of this.screens) screen.send('ping', { seq })
  }

  /** Shows a pairing code instead of content (null: paired, back to content). */
  setPairing(pairing: PairingDisplay): void {
    this.pairing = pairing
    this.broadcast()
  }

  setBoard(board: BoardInfo): void {
    this.board = screenBoard(board)
    this.broadcast()
  }

  get masterVolume(): number {
    return this.volume
  }

  /** The board's master volume, 0–1 (a remote set-volume command). */
  setVolume(volume: number): void {
    if (!(volume >= 0 && volume <= 1)) throw new RangeError(`volume must be between 0 and 1, got ${volume}`)
    this.volume = volume
    this.broadcast()
  }

  /** Sends the board's status to every screen (and to screens that connect later). */
  setStatus(status: StatusPayload): void {
    this.status = status
    for (const screen of this.screens) screen.send('status', status)
  }

  /** Asks every screen to reload its page; returns how many were asked. */
  reload(reason: string): number {
    for (const screen of this.screens) screen.send('reload', { reason })
    return this.screens.size
  }

  /** What a screen that connects now is shown first (the browser shell inlines it into the page). */
  payload(): FirstShowPayload {
    return { ...this.showPayload(), emergency: this.view.emergency }
  }

  /**
   * The `show` as the screen will accept it: a zone whose programme the contract refuses plays its
   * fallback instead (reported), so one bad programme never costs the others, nor the board's state.
   */
  private showPayload(): ShowPayload {
    if (this.checkedShow) return this.checkedShow
    const { emergency: _emergency, ...view } = this.view
    let payload: ShowPayload = { board: this.board, ...view, pairing: this.pairing, volume: this.volume }
    const checked = hostToScreen.show.safeParse(payload)
    if (!checked.success) {
      const zones = payload.zones.map((entry) => {
        const program = entry.program && Program.safeParse(entry.program)
        if (!program || program.success) return entry
        this.refused({ by: 'host', verb: 'show', reason: `zone ${entry.zone.id}: programme ${entry.program!.version} left out: ${contractIssues(program.error)}` })
        return { ...entry, program: null }
      })
      payload = { ...payload, zones }
      const again = hostToScreen.show.safeParse(payload)
      if (!again.success) this.refused({ by: 'host', verb: 'show', reason: contractIssues(again.error) })
    }
    this.checkedShow = payload
    return payload
  }

  private refused(refusal: ScreenRefusal): void {
    // Re-planned every minute at most: the same refusal is logged and reported once, not every time.
    if (refusal.reason === this.lastHostRefusal) return
    this.lastHostRefusal = refusal.reason
    this.log.error('screen contract refuses what the host would show', { ...refusal })
    this.refusedEvents.emit(refusal)
  }

  private broadcast(): void {
    this.checkedShow = null
    const emergency = { emergency: this.view.emergency }
    if (this.view.emergency && !hostToScreen.emergency.safeParse(emergency).success) {
      this.refused({ by: 'host', verb: 'emergency', reason: `emergency ${this.view.emergency.id} does not fit the screen contract` })
    }
    const payload = this.showPayload()
    for (const screen of this.screens) {
      screen.send('emergency', emergency)
      screen.send('show', payload)
    }
  }
}

/** The board as the screen shows it: its name is screen text like any other (schedule/screen-text.ts). */
const screenBoard = (board: BoardInfo): BoardInfo => ({ ...board, name: screenText(board.name) })

function keepBounded<T>(list: T[], entry: T): void {
  list.push(entry)
  if (list.length > MAX_KEPT_REPORTS) list.splice(0, list.length - MAX_KEPT_REPORTS)
}
