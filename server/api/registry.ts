// Every console API route and every scope kind, by room: one line per room. The OpenAPI document, the
// mount and the role × unit access matrix test all read this list, so a route added here is documented
// and tested without more wiring.
import { ACCESS_KINDS } from '../access/scope'
import { accessRoutes } from '../access/routes'
import { EDITORIAL_KINDS, editorialRoutes } from '../editorial/routes'
import { enrolmentRoutes } from '../enrolment/routes'
import { LIBRARY_KINDS, libraryRoutes } from '../library/routes'
import { PROGRAMME_KINDS, programmeRoutes } from '../programme/routes'
import { storeRoutes } from '../store/routes'
import type { AnyRoute, ScopeKind } from './route'

export const ALL_ROUTES: readonly AnyRoute[] = [
  ...accessRoutes,
  ...editorialRoutes,
  ...enrolmentRoutes,
  ...libraryRoutes,
  ...programmeRoutes,
  ...storeRoutes
]

/** Kinds of things route inputs name, each resolved to its unit: `{ 'body.playlistId': 'playlist' }`. */
export const SCOPE_KINDS: Readonly<Record<string, ScopeKind>> = {
  ...ACCESS_KINDS,
  ...EDITORIAL_KINDS,
  ...LIBRARY_KINDS,
  ...PROGRAMME_KINDS
}
