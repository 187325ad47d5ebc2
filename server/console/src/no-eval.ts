// Imported first by the console's entry: the console's CSP forbids eval, so zod must not probe for it
// (zod 4 tries `new Function('')` before its first object parse; under the CSP that is a violation report).
import { config } from 'zod'

config({ jitless: true })
