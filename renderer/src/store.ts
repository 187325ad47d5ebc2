// The screen's state: one zustand store made of slices; the bridge feeds it once, outside components.
import { create } from 'zustand'
import type { BoardInfo, Program, ScreenEmergency, ShowPayload, StatusPayload } from '../../contract/screen'
import type { ConnectionState } from './bridge/bridge'

interface ConnectionSlice {
  connection: ConnectionState
  setConnection(state: ConnectionState): void
}

interface ContentSlice {
  board: BoardInfo
  displayOn: boolean
  zones: ShowPayload['zones']
  emergency: ScreenEmergency | null
  pairing: ShowPayload['pairing']
  /** The board's master volume (0–1); a video plays at its own volume times this. */
  volume: number
  /** False until the host has said what to show: the fallback slide shows meanwhile. */
  received: boolean
  show(payload: ShowPayload): void
  /** The emergency comes in its own message, so a programme the screen refuses never keeps it off. */
  setEmergency(emergency: ScreenEmergency | null): void
}

interface StatusSlice {
  /** The host's latest status (for the technician's overlay and the first-sync bar); null until the first. */
  status: StatusPayload | null
  setStatus(status: StatusPayload): void
}

interface NowPlayingSlice {
  /** The item on screen now in each zone that rotates a program, by zone id (the host only knows what ended). */
  nowPlaying: Readonly<Record<string, string>>
  /** Null: the zone shows no item (fallback, or its rotator is gone). */
  setNowPlaying(zoneId: string, itemId: string | null): void
}

export type ScreenState = ConnectionSlice & ContentSlice & StatusSlice & NowPlayingSlice

export const DEFAULT_BOARD: BoardInfo = { name: 'Bảng tin điện tử', timeZone: 'Asia/Ho_Chi_Minh' }
const FULL_SCREEN_ZONES: ShowPayload['zones'] = [{ zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }, program: null }]

export const useScreenStore = create<ScreenState>()((set) => ({
  connection: 'connecting',
  setConnection: (connection) => set({ connection }),
  board: DEFAULT_BOARD,
  displayOn: true,
  zones: FULL_SCREEN_ZONES,
  emergency: null,
  pairing: null,
  volume: 1,
  received: false,
  show: ({ board, displayOn, zones, pairing, volume }) =>
    set((state) => ({
      board,
      displayOn,
      pairing,
      volume,
      received: true,
      // Keep the same program objects when nothing changed, so a reconnect or an unrelated change
      // (an emergency, display hours) does not restart a zone's rotation.
      zones: zones.map((entry) => {
        const previous = state.zones.find((z) => z.zone.id === entry.zone.id)
        return previous && sameProgram(previous.program, entry.program) && sameZone(previous.zone, entry.zone) ? previous : entry
      })
    })),
  // The same notice again (sent before every show) keeps its object, so the overlay does not start over.
  setEmergency: (emergency) =>
    set((state) => (state.emergency === emergency || (state.emergency && emergency && JSON.stringify(state.emergency) === JSON.stringify(emergency)) ? state : { emergency })),
  status: null,
  setStatus: (status) => set({ status }),
  nowPlaying: {},
  setNowPlaying: (zoneId, itemId) =>
    set((state) => {
      // Called on every turn of every zone: leave the state (and its subscribers) alone when nothing changed.
      if ((state.nowPlaying[zoneId] ?? null) === itemId) return state
      const nowPlaying = { ...state.nowPlaying }
      if (itemId === null) delete nowPlaying[zoneId]
      else nowPlaying[zoneId] = itemId
      return { nowPlaying }
    })
}))

/** What the first-sync progress bar needs: a download under way while the board has nothing at all to play. */
export function firstSyncDownload(state: Pick<ScreenState, 'zones' | 'emergency' | 'pairing' | 'status'>): StatusPayload['download'] {
  if (state.emergency || state.pairing || state.zones.some((z) => z.program !== null)) return null
  return state.status?.download ?? null
}

export function sameProgram(a: Program | null, b: Program | null): boolean {
  if (a === null || b === null) return a === b
  return a.version === b.version && JSON.stringify(a.items) === JSON.stringify(b.items)
}

function sameZone(a: ShowPayload['zones'][number]['zone'], b: ShowPayload['zones'][number]['zone']): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
