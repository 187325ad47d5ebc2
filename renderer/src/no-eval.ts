// Imported first by the screen entry: the screen's CSP forbids eval, so zod must not probe for it.
// zod 4 tries `new Function('')` before its first object parse to decide whether to compile parsers;
// under the CSP each try is a violation report (two: one per policy, the header and the meta tag).
import { config } from 'zod'

config({ jitless: true })
