// History routing under /console/ (the server answers index.html for every app route): usePath() is the
// path below /console (`/`, `/users`), navigate() changes it, <Link> is an <a> that does so without a reload.
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react'

export const BASE = '/console'
const listeners = new Set<() => void>()

function currentPath(): string {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname
  return path === '' ? '/' : path.length > 1 ? path.replace(/\/$/, '') : path
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  window.addEventListener('popstate', listener)
  return () => {
    listeners.delete(listener)
    window.removeEventListener('popstate', listener)
  }
}

export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath)
}

/** The full URL path of an app path: href('/users') is '/console/users'. */
export function href(path: string): string {
  return BASE + (path.startsWith('/') ? path : `/${path}`)
}

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  const target = href(path)
  if (target === location.pathname + location.search) return
  if (options.replace) history.replaceState(null, '', target)
  else history.pushState(null, '', target)
  for (const listener of listeners) listener()
}

export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const click = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event)
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(to)
  }
  return <a href={href(to)} onClick={click} {...rest} />
}
