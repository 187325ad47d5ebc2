// The signed-in layout: a top bar (name, language, sign out), the menu of the pages this role may use (a
// collapsible drawer on a phone), and the page, inside an error boundary so a failing page never blanks the app.
import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { Me } from '../api/schemas'
import { ErrorBoundary } from '../components/error-boundary'
import { useI18n } from '../i18n/i18n'
import { pagesFor } from '../pages/registry'
import { Link, usePath } from '../router'
import { signOut } from '../session'
import { LanguageToggle } from './language-toggle'

export function Shell({ me, children }: { me: Me; children: ReactNode }) {
  const { t } = useI18n()
  const path = usePath()
  const [menuOpen, setMenuOpen] = useState(false)
  const menuButton = useRef<HTMLButtonElement>(null)
  useEffect(() => setMenuOpen(false), [path])
  // Escape closes the phone's menu and gives the focus back to its button.
  useEffect(() => {
    if (!menuOpen) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      setMenuOpen(false)
      menuButton.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [menuOpen])
  const pages = pagesFor(me.user.role)
  const active = (pagePath: string) => (pagePath === '/' ? path === '/' : path === pagePath || path.startsWith(`${pagePath}/`))
  return (
    <div className={`shell${menuOpen ? ' menu-open' : ''}`}>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="topbar">
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          aria-label={menuOpen ? t('app.menu.close') : t('app.menu.open')}
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span className="menu-icon" aria-hidden="true" />
        </button>
        <Link to="/" className="brand">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-sub">{me.unit.name}</span>
        </Link>
        <div className="topbar-tools">
          <span className="who" title={t('app.signedInAs', { name: me.user.displayName })}>
            {me.user.displayName} · {t(`role.${me.user.role}`)}
          </span>
          <LanguageToggle />
          <button type="button" className="button ghost" onClick={() => void signOut()}>
            {t('app.signOut')}
          </button>
        </div>
      </header>
      <nav id="main-nav" className="sidenav" aria-label={t('app.nav')}>
        <ul>
          {pages.map((page) => (
            <li key={page.id}>
              <Link
                to={page.path}
                data-page={page.id}
                className={`nav-link${page.prominent ? ' nav-prominent' : ''}`}
                aria-current={active(page.path) ? 'page' : undefined}
              >
                {t(page.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <ErrorBoundary resetKey={path}>{children}</ErrorBoundary>
      </main>
    </div>
  )
}
