// Who is signed in: loaded from GET /me at start, set by sign-in, cleared by sign-out or any 401. The app
// shows Sign in, the first-run password page or the console from this one store.
import { useSyncExternalStore } from 'react'
import { api, onSessionProblem, setCsrfToken, type ApiError } from './api/client'
import { Changed, Me, SignedIn, SignedOut } from './api/schemas'

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'signed-out'; expired: boolean }
  | { kind: 'must-change-password'; me: Me }
  | { kind: 'signed-in'; me: Me }

let state: SessionState = { kind: 'loading' }
const listeners = new Set<() => void>()

function set(next: SessionState): void {
  state = next
  for (const listener of listeners) listener()
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    () => state
  )
}

function fromMe(me: Me): SessionState {
  setCsrfToken(me.csrfToken)
  return me.user.mustChangePassword ? { kind: 'must-change-password', me } : { kind: 'signed-in', me }
}

/** At start and after changes to me: who am I (a 401 means signed out). */
export async function loadSession(): Promise<void> {
  try {
    set(fromMe(await api.get('/me', Me)))
  } catch (error) {
    if ((error as ApiError).status === 401) set({ kind: 'signed-out', expired: false })
    else throw error
  }
}

export async function signIn(username: string, password: string): Promise<void> {
  const answer = await api.post('/session', SignedIn, { username, password })
  setCsrfToken(answer.csrfToken)
  await loadSession()
}

export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await api.post('/me/password', Changed, { currentPassword, newPassword })
  await loadSession()
}

export async function signOut(): Promise<void> {
  try {
    await api.del('/session', SignedOut)
  } finally {
    setCsrfToken(null)
    set({ kind: 'signed-out', expired: false })
  }
}

onSessionProblem((error) => {
  if (error.code === 'password-change-required' && (state.kind === 'signed-in' || state.kind === 'must-change-password')) {
    set({ kind: 'must-change-password', me: state.me })
  } else if (error.status === 401 && state.kind !== 'signed-out') {
    setCsrfToken(null)
    set({ kind: 'signed-out', expired: state.kind !== 'loading' })
  }
})

/** The signed-in user, for pages inside the console (which only render when signed in). */
export function useMe(): Me {
  const current = useSession()
  if (current.kind !== 'signed-in' && current.kind !== 'must-change-password') throw new Error('useMe outside a signed-in page')
  return current.me
}
