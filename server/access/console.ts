// The console API as the product mounts it: every registered route, the access room's authenticator
// (sessions and API tokens) and its sign-in limits. Pass the result as ReferenceServerOptions.consoleApi.
import type { Db } from '../db/database'
import { createConsoleApi, type ConsoleApiHandler } from '../api/console-api'
import { ALL_ROUTES, SCOPE_KINDS } from '../api/registry'
import type { ApiServices } from '../api/route'
import type { LoginLimits } from './login-limits'
import { accessServices } from './services'
import { authenticate } from './sessions'

export interface ConsoleOptions {
  now?: () => number
  loginLimits?: Partial<LoginLimits>
  /** Other rooms' services (media store, publisher, …). */
  services?: Partial<ApiServices>
  onError?: (error: unknown, route: string) => void
}

export function consoleApi(db: Db, options: ConsoleOptions = {}): ConsoleApiHandler {
  const now = options.now ?? Date.now
  return createConsoleApi({
    db,
    routes: ALL_ROUTES,
    kinds: SCOPE_KINDS,
    now,
    authenticate: (req, database) => authenticate(req, database, now()),
    services: { access: accessServices(options.loginLimits), ...options.services },
    ...(options.onError ? { onError: options.onError } : {})
  })
}
