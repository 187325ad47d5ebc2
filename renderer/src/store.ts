// The screen's state: one zustand store made of slices; the bridge feeds it once, outside components.
import { create } from 'zustand'
import type { BoardInfo, HostPayload, Program } from '../../contract/screen'
import type { ConnectionState } from './bridge/bridge'

interface ConnectionSlice {
  connection: ConnectionState
  setConnection(state: ConnectionState): void
}

interface ContentSlice {
  board: BoardInfo
  program: Program | null
  /** False until the host has said what to show: the fallback slide shows meanwhile. */
  received: boolean
  show(payload: HostPayload<'show'>): void
}

export type ScreenState = ConnectionSlice & ContentSlice

export const DEFAULT_BOARD: BoardInfo = { name: 'Bảng tin điện tử', timeZone: 'Asia/Ho_Chi_Minh' }

export const useScreenStore = create<ScreenState>()((set) => ({
  connection: 'connecting',
  setConnection: (connection) => set({ connection }),
  board: DEFAULT_BOARD,
  program: null,
  received: false,
  show: ({ board, program }) =>
    set((state) => ({
      board,
      received: true,
      // Keep the same object when nothing changed, so a reconnect does not restart the rotation.
      program: sameProgram(state.program, program) ? state.program : program
    }))
}))

export function sameProgram(a: Program | null, b: Program | null): boolean {
  if (a === null || b === null) return a === b
  return a.version === b.version && JSON.stringify(a.items) === JSON.stringify(b.items)
}
