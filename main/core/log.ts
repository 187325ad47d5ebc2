// The core's logging: the shared JSON-line logger (lib/log.ts) in the player's record shape
// ({ t, level, scope, message, ...fields }); shells plug in their own sinks (console, electron-log, a file).
import { JsonLineLog, type Logger } from '../../lib/log'

export { memoryLogger, teeLogger, type Logger } from '../../lib/log'

/** One JSON line per record on stderr: readable by people and by log shippers alike. */
export function consoleLogger(scope: string): Logger {
  return new JsonLineLog({
    sink: (line) => process.stderr.write(line + '\n'),
    head: (level, message, at) => ({ t: at.toISOString(), level, scope, message })
  })
}
