// What the access room's routes keep between requests: the sign-in limits and the per-address counter.
// Passed to createConsoleApi as services.access (module augmentation of ApiServices).
import { AddressLimiter, DEFAULT_LOGIN_LIMITS, UnknownNameLockouts, type LoginLimits } from './login-limits'

export interface AccessServices {
  limits: LoginLimits
  addressLimiter: AddressLimiter
  /** Lockouts of names no account has (so a lockout does not reveal which accounts exist). */
  unknownNames: UnknownNameLockouts
}

declare module '../api/route' {
  interface ApiServices {
    access: AccessServices
  }
}

export function accessServices(limits: Partial<LoginLimits> = {}): AccessServices {
  const all = { ...DEFAULT_LOGIN_LIMITS, ...limits }
  return { limits: all, addressLimiter: new AddressLimiter(all), unknownNames: new UnknownNameLockouts(all) }
}

/** Routes mounted without services (another room's test) still limit sign-ins, with the defaults. */
let fallback: AccessServices | null = null
export function accessServicesOr(given: AccessServices | undefined): AccessServices {
  if (given) return given
  fallback ??= accessServices()
  return fallback
}
