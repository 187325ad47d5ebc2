// What the access room's routes keep between requests: the sign-in limits and the per-address counter.
// Passed to createConsoleApi as services.access (module augmentation of ApiServices).
import { AddressLimiter, DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-limits'

export interface AccessServices {
  limits: LoginLimits
  addressLimiter: AddressLimiter
}

declare module '../api/route' {
  interface ApiServices {
    access: AccessServices
  }
}

export function accessServices(limits: Partial<LoginLimits> = {}): AccessServices {
  const all = { ...DEFAULT_LOGIN_LIMITS, ...limits }
  return { limits: all, addressLimiter: new AddressLimiter(all) }
}

/** Routes mounted without services (another room's test) still limit sign-ins, with the defaults. */
let fallback: AccessServices | null = null
export function accessServicesOr(given: AccessServices | undefined): AccessServices {
  if (given) return given
  fallback ??= accessServices()
  return fallback
}
