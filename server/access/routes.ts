// The access room's console API routes: sign-in, units, users, API tokens, boards' placement, audit log.
import type { AnyRoute } from '../api/route'

export const accessRoutes: AnyRoute[] = []
