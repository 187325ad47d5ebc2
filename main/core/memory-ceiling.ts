// The memory ceiling both shells keep: a player that has grown past it is restarted cleanly (the
// Electron shell restarts the app, the browser shell restarts Chromium) rather than left to swap or be killed.

export type MemoryVerdict = { restart: false; over: boolean } | { restart: true; over: true; reason: string }

/**
 * One sample's decision. Above the ceiling on two samples in a row restarts (a leak does not heal; one
 * spike might); with the display on it waits for the display to go off unless far above (1.5×).
 * `displayOn` null (unknown) counts as on.
 */
export function memoryCeilingVerdict(ceilingMb: number, memoryMb: number, previousOver: boolean, displayOn: boolean | null): MemoryVerdict {
  const over = memoryMb > ceilingMb
  if (over && previousOver && (displayOn === false || memoryMb > ceilingMb * 1.5)) {
    return { restart: true, over, reason: `memory ${Math.round(memoryMb)} MB above ${ceilingMb} MB` }
  }
  return { restart: false, over }
}
