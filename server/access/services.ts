// What the access room's routes keep between requests: the sign-in limits and their counters.
// Passed to createConsoleApi as services.access (module augmentation of ApiServices).
import { AddressLimiter, DEFAULT_LOGIN_LIMITS, SignInGuard, type LoginLimits } from './login-limits'

export interface AccessServices {
  limits: LoginLimits
  addressLimiter: AddressLimiter
  /** Per (name, address) locks and per-name delays, alike for names no account has. */
  guard: SignInGuard
}

declare module '../api/route' {
  interface ApiServices {
    access: AccessServices
  }
}

export function accessServices(limits: Partial<LoginLimits> = {}): AccessServices {
  const all = { ...DEFAULT_LOGIN_LIMITS, ...limits }
  return { limits: all, addressLimiter: new AddressLimiter(all), guard: new SignInGuard(all) }
}

/** Routes mounted without services (another room's test) still limit sign-ins, with the defaults. */
let fallback: AccessServices | null = null
export function accessServicesOr(given: AccessServices | undefined): AccessServices {
  if (given) return given
  fallback ??= accessServices()
  return fallback
}
