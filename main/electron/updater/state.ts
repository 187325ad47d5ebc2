// The updater's state as a discriminated union (reported in the heartbeat) and the pure transitions
// between states. No electron and no timers here: the controller feeds events in, this decides.
import type { UpdateReport } from '../../core/protocol/heartbeat'

/** What the board reports about updates. `at` fields are epoch ms. */
export type UpdateState =
  | { kind: 'idle'; lastCheckAt: number | null }
  | { kind: 'disabled'; reason: string }
  | { kind: 'checking'; since: number }
  | { kind: 'downloading'; version: string; percent: number; since: number }
  /** Downloaded and verified (sha512, and on Windows the publisher signature); waiting for the display to be off. */
  | { kind: 'ready'; version: string; downloadedAt: number }
  | { kind: 'installing'; version: string; at: number }
  /** This run is a freshly installed version that has not yet shown it can play. */
  | { kind: 'verifying'; version: string; fromVersion: string; deadline: number; start: number }
  | { kind: 'failed'; phase: 'check' | 'download' | 'install'; reason: string; at: number; version?: string }
  /** The new version never reached "playing": rolled back to `runningVersion`, or (rollback impossible) reported. */
  | {
      kind: 'update-broken'
      version: string
      fromVersion: string
      reason: string
      at: number
      rollback: 'started' | 'unavailable'
      rollbackNote: string
    }

export type UpdateEvent =
  | { type: 'check-started'; at: number }
  | { type: 'update-available'; version: string; at: number }
  | { type: 'update-not-available'; at: number }
  | { type: 'download-progress'; percent: number }
  | { type: 'downloaded'; version: string; at: number }
  | { type: 'error'; reason: string; at: number }
  | { type: 'install-started'; version: string; at: number }
  | { type: 'verification-started'; version: string; fromVersion: string; deadline: number; start: number }
  | { type: 'playing'; at: number }
  | { type: 'verification-failed'; reason: string; at: number; rollback: 'started' | 'unavailable'; rollbackNote: string }

/** Which phase an error belongs to, from the state it happened in. */
function phaseOf(state: UpdateState): 'check' | 'download' | 'install' {
  if (state.kind === 'downloading') return 'download'
  if (state.kind === 'installing') return 'install'
  return 'check'
}

/**
 * The next state. Events that make no sense in the current state leave it unchanged (electron-updater
 * emits progress after errors and errors after a quit request; none of them may rewrite history).
 */
export function nextUpdateState(state: UpdateState, event: UpdateEvent): UpdateState {
  // A broken update and a disabled updater stay until the process restarts: they are what the operator must see.
  if (state.kind === 'update-broken' || state.kind === 'disabled') return state
  switch (event.type) {
    case 'verification-started':
      return { kind: 'verifying', version: event.version, fromVersion: event.fromVersion, deadline: event.deadline, start: event.start }
    case 'playing':
      return state.kind === 'verifying' ? { kind: 'idle', lastCheckAt: null } : state
    case 'verification-failed':
      if (state.kind !== 'verifying') return state
      return {
        kind: 'update-broken',
        version: state.version,
        fromVersion: state.fromVersion,
        reason: event.reason,
        at: event.at,
        rollback: event.rollback,
        rollbackNote: event.rollbackNote
      }
    case 'check-started':
      // Never check while verifying (the running version must prove itself first) or once something is ready.
      if (state.kind === 'verifying' || state.kind === 'ready' || state.kind === 'installing' || state.kind === 'downloading') return state
      return { kind: 'checking', since: event.at }
    case 'update-not-available':
      return state.kind === 'checking' ? { kind: 'idle', lastCheckAt: event.at } : state
    case 'update-available':
      return state.kind === 'checking' ? { kind: 'downloading', version: event.version, percent: 0, since: event.at } : state
    case 'download-progress':
      if (state.kind !== 'downloading') return state
      return { ...state, percent: Math.max(state.percent, Math.min(100, Math.round(event.percent * 10) / 10)) }
    case 'downloaded':
      if (state.kind !== 'downloading' && state.kind !== 'checking') return state
      return { kind: 'ready', version: event.version, downloadedAt: event.at }
    case 'install-started':
      return state.kind === 'ready' ? { kind: 'installing', version: event.version, at: event.at } : state
    case 'error': {
      if (state.kind === 'idle' || state.kind === 'failed' || state.kind === 'verifying') return state
      const version = 'version' in state ? state.version : undefined
      return { kind: 'failed', phase: phaseOf(state), reason: event.reason.slice(0, 500), at: event.at, ...(version ? { version } : {}) }
    }
  }
}

/** Whether a check may start now (not while verifying, downloading, ready or installing). */
export function mayCheck(state: UpdateState): boolean {
  return state.kind === 'idle' || state.kind === 'failed' || state.kind === 'checking'
}

const iso = (ms: number): string => new Date(Number.isFinite(ms) ? ms : 0).toISOString()
const clip = (text: string, max: number): string => text.slice(0, max)

/** The update state as the heartbeat carries it (main/core/protocol/heartbeat.ts UpdateReport): epoch ms become ISO times. */
export function heartbeatUpdate(state: UpdateState): UpdateReport {
  switch (state.kind) {
    case 'idle':
      return { state: 'idle', lastCheckAt: state.lastCheckAt === null ? null : iso(state.lastCheckAt) }
    case 'disabled':
      return { state: 'disabled', reason: clip(state.reason, 2000) }
    case 'checking':
      return { state: 'checking', since: iso(state.since) }
    case 'downloading':
      return { state: 'downloading', version: clip(state.version, 100), percent: state.percent, since: iso(state.since) }
    case 'ready':
      return { state: 'ready', version: clip(state.version, 100), downloadedAt: iso(state.downloadedAt) }
    case 'installing':
      return { state: 'installing', version: clip(state.version, 100), at: iso(state.at) }
    case 'verifying':
      return { state: 'verifying', version: clip(state.version, 100), fromVersion: clip(state.fromVersion, 100), deadline: iso(state.deadline) }
    case 'failed':
      return {
        state: 'failed',
        phase: state.phase,
        reason: clip(state.reason, 2000),
        at: iso(state.at),
        ...(state.version === undefined ? {} : { version: clip(state.version, 100) })
      }
    case 'update-broken':
      return {
        state: 'update-broken',
        version: clip(state.version, 100),
        fromVersion: clip(state.fromVersion, 100),
        reason: clip(state.reason, 2000),
        at: iso(state.at),
        rollback: state.rollback,
        rollbackNote: clip(state.rollbackNote, 2000)
      }
  }
}
