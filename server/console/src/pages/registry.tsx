// The console's pages: one entry per section of issue 14, in menu order. The menu shows an entry only to
// the roles listed (the server checks again on every call). To add a page: write pages/<name>.tsx and
// point its entry's `component` at it (sections still to be built show the Placeholder).
import type { ComponentType } from 'react'
import type { Role } from '../api/schemas'
import type { DictKey } from '../i18n/i18n'
import { ApprovalPage } from './approval'
import { AuditPage } from './audit'
import { BoardsPage } from './boards'
import { ContentPage } from './content'
import { EmergencyPage } from './emergency'
import { OverviewPage } from './overview'
import { ReportsPage } from './reports'
import { SchedulePage } from './schedule'
import { TokensPage } from './tokens'
import { UsersPage } from './users'

export interface ConsolePage {
  /** Stable id: used as the menu item's data-page attribute by tests. */
  id: string
  /** Below /console: '/', '/content'. */
  path: string
  /** The menu label and the page's title. */
  label: DictKey
  roles: readonly Role[]
  component: ComponentType
  /** Drawn as the menu's red button (Khẩn cấp). */
  prominent?: boolean
}

const EVERYONE: readonly Role[] = ['quan-tri', 'bien-tap', 'duyet', 'xem']

export const PAGES: readonly ConsolePage[] = [
  { id: 'overview', path: '/', label: 'nav.overview', roles: EVERYONE, component: OverviewPage },
  { id: 'emergency', path: '/emergency', label: 'nav.emergency', roles: ['duyet'], component: EmergencyPage, prominent: true },
  { id: 'content', path: '/content', label: 'nav.content', roles: ['bien-tap', 'duyet'], component: ContentPage },
  { id: 'schedule', path: '/schedule', label: 'nav.schedule', roles: ['bien-tap', 'duyet'], component: SchedulePage },
  { id: 'approval', path: '/approval', label: 'nav.approval', roles: ['duyet'], component: ApprovalPage },
  { id: 'boards', path: '/boards', label: 'nav.boards', roles: EVERYONE, component: BoardsPage },
  { id: 'reports', path: '/reports', label: 'nav.reports', roles: EVERYONE, component: ReportsPage },
  { id: 'users', path: '/users', label: 'nav.users', roles: ['quan-tri'], component: UsersPage },
  { id: 'tokens', path: '/tokens', label: 'nav.tokens', roles: ['quan-tri'], component: TokensPage },
  { id: 'audit', path: '/audit', label: 'nav.audit', roles: ['quan-tri', 'duyet'], component: AuditPage }
]

/** The pages this role may open, in menu order. */
export function pagesFor(role: Role): ConsolePage[] {
  return PAGES.filter((page) => page.roles.includes(role))
}

/** The page at `path` if this role may open it (sub-paths such as /boards/ABC belong to /boards). */
export function pageAt(path: string, role: Role): ConsolePage | null {
  const mine = pagesFor(role)
  return mine.find((page) => page.path === path) ?? mine.find((page) => page.path !== '/' && path.startsWith(`${page.path}/`)) ?? null
}
