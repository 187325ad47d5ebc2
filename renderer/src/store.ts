// The screen's state: one zustand store made of slices; the bridge feeds it once, outside components.
import { create } from 'zustand'
import type { BoardInfo, Program, ScreenEmergency, ShowPayload } from '../../contract/screen'
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
  /** False until the host has said what to show: the fallback slide shows meanwhile. */
  received: boolean
  show(payload: ShowPayload): void
}

export type ScreenState = ConnectionSlice & ContentSlice

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
  received: false,
  show: ({ board, displayOn, zones, emergency, pairing }) =>
    set((state) => ({
      board,
      displayOn,
      pairing,
      received: true,
      // Keep the same program objects when nothing changed, so a reconnect or an unrelated change
      // (an emergency, display hours) does not restart a zone's rotation.
      zones: zones.map((entry) => {
        const previous = state.zones.find((z) => z.zone.id === entry.zone.id)
        return previous && sameProgram(previous.program, entry.program) && sameZone(previous.zone, entry.zone) ? previous : entry
      }),
      emergency: state.emergency && emergency && JSON.stringify(state.emergency) === JSON.stringify(emergency) ? state.emergency : emergency
    }))
}))

export function sameProgram(a: Program | null, b: Program | null): boolean {
  if (a === null || b === null) return a === b
  return a.version === b.version && JSON.stringify(a.items) === JSON.stringify(b.items)
}

function sameZone(a: ShowPayload['zones'][number]['zone'], b: ShowPayload['zones'][number]['zone']): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}
