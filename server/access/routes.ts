// The access room's console API routes: sign-in, units, users, boards' placement, API tokens, audit log.
import type { AnyRoute } from '../api/route'
import { adminRoutes } from './routes-admin'
import { boardRoutes } from './routes-boards'
import { sessionRoutes } from './routes-session'

export const accessRoutes: AnyRoute[] = [...sessionRoutes, ...adminRoutes, ...boardRoutes]
