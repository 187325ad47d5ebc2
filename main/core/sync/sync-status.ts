// What the heartbeat and the status overlay say about sync: the content's progress joined with the
// session's link to the server (push, clock).
import type { ContentStatus, SyncProgress } from './content-sync'
import type { SessionStatus } from './source-session'

export type { SyncProgress }

export type SyncSnapshot = ContentStatus & Pick<SessionStatus, 'push' | 'clockOffsetMs'>

export function syncSnapshot(content: ContentStatus, session: SessionStatus): SyncSnapshot {
  return { ...content, push: session.push, clockOffsetMs: session.clockOffsetMs }
}
