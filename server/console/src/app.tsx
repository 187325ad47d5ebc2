// The console app: the session decides between Sign in, the first-run password change and the console;
// inside, the path picks the page from the registry (only pages the role may use; others are "not found").
import { useEffect, useRef } from 'react'
import { asApiError } from './api/client'
import { ErrorBoundary } from './components/error-boundary'
import { LoadError, Loading } from './components/status'
import { useLoad } from './components/use-load'
import { Shell } from './layout/shell'
import { ChangePasswordPage } from './pages/change-password'
import { NotFoundPage } from './pages/not-found'
import { pageAt } from './pages/registry'
import { SignInPage } from './pages/sign-in'
import { navigate, usePath } from './router'
import { loadSession, useSession } from './session'

const RETURN_TO = 'bangtin.returnTo'

/** Where a signed-out visitor was going (e.g. a board's QR code: /boards?pair=CODE), kept for after sign-in. */
function rememberDestination(path: string): void {
  if (path === '/sign-in' || path === '/change-password' || path === '/') return
  sessionStorage.setItem(RETURN_TO, path + location.search)
}

/** The remembered destination, once; only a path inside the console (never another site). */
function takeDestination(): string {
  const saved = sessionStorage.getItem(RETURN_TO)
  sessionStorage.removeItem(RETURN_TO)
  return saved && saved.startsWith('/') && !saved.startsWith('//') ? saved : '/'
}

export function App() {
  const session = useSession()
  const path = usePath()
  const start = useLoad(loadSession)
  // Only an address opened while signed out is worth returning to (a QR code's link), never the page someone
  // was on when they signed out: the next person to sign in here may not even be allowed there.
  const arrived = useRef(true)
  // The sign-in and password pages have their own addresses, so a reload keeps the user where they were.
  useEffect(() => {
    if (session.kind === 'loading') return
    const justArrived = arrived.current
    arrived.current = false
    if (session.kind === 'signed-out' && path !== '/sign-in') {
      if (justArrived) rememberDestination(path)
      navigate('/sign-in', { replace: true })
    }
    if (session.kind === 'must-change-password' && path !== '/change-password') {
      if (justArrived) rememberDestination(path)
      navigate('/change-password', { replace: true })
    }
    if (session.kind === 'signed-in' && (path === '/sign-in' || path === '/change-password')) navigate(takeDestination(), { replace: true })
  }, [session.kind, path])

  if (session.kind === 'loading') {
    return start.error ? <LoadError error={asApiError(start.error)} onRetry={start.reload} /> : <Loading />
  }
  if (session.kind === 'signed-out') {
    return (
      <ErrorBoundary resetKey={path}>
        <SignInPage expired={session.expired} />
      </ErrorBoundary>
    )
  }
  if (session.kind === 'must-change-password') {
    return (
      <ErrorBoundary resetKey={path}>
        <ChangePasswordPage me={session.me} />
      </ErrorBoundary>
    )
  }
  const page = pageAt(path, session.me.user.role)
  const Page = page?.component ?? NotFoundPage
  return (
    <Shell me={session.me}>
      <Page key={page?.id ?? 'not-found'} />
    </Shell>
  )
}
