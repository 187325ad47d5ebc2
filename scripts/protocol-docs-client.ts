// The "Writing a board client" section of docs/protocol.md: what a vendor writing a board (or a gateway
// for several) needs beyond the schemas. Numbers come from the code that uses them, never retyped.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { MAX_MESSAGE_BYTES, PUSH_PING } from '../server/push'
import { PlayerConfig } from '../main/core/config'
import { PAIRING_RETRY } from '../main/core/pairing/pairing-client'
import { MAX_RETRY_AFTER_MS } from '../main/core/sync/source-adapter'
import { deviceEvents, paths, PUSH_NAMESPACE, pushEvents } from '../main/core/protocol/api'
import { HEARTBEATS_KEPT } from '../main/core/reporting/reporter'
import { UPLOAD_RETRY } from '../main/core/reporting/uploader'
import { CLOCK_TOLERANCE_MS } from '../main/core/time/board-clock'
import { SYNC_RETRY } from '../main/core/sync/content-sync'
import { NO_PROGRESS_TRIES, SET_ASIDE_BASE_MS, SET_ASIDE_MAX_MS } from '../main/core/sync/downloads'
import { CLOCK_SKEW_REPORT_MS, REVOCATION_CHECK_AFTER_MS } from '../main/core/sync/source-session'
import { PUSH_RECONNECT } from '../main/core/sync/v1-adapter'

/** 5 s, 10 min, 6 h: the unit a person would say. */
function span(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0 && ms >= 600_000) return `${ms / 60_000} min`
  return `${ms / 1000} s`
}

function dependencyVersion(name: string): string {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> }
  return pkg.dependencies[name] ?? pkg.devDependencies[name] ?? '?'
}

export function clientSection(): string {
  const defaults = PlayerConfig.parse({})
  const poll = defaults.pollIntervalSec
  const beat = defaults.heartbeatIntervalSec
  const pushCap = span(PUSH_RECONNECT.maxMs)
  const jitter = `±${PUSH_RECONNECT.jitter * 100} %`
  return `## Writing a board client
*Viết phần mềm cho bảng tin theo giao thức này: những điều schema không nói.* What follows is what the
player in this repository does; a vendor's board that does the same behaves the same for the province.

### Envelope or bare document
A JSON object with both a \`payload\` and a \`signature\` member is a signed envelope; anything else is a bare
document. An envelope that fails [\`schemas/signed-envelope.schema.json\`](schemas/signed-envelope.schema.json)
is refused as malformed, never read as a bare document. Verify the Ed25519 signature over the UTF-8 bytes of
\`payload\` exactly as received, and only then parse \`payload\` as JSON and check it against the document's schema
(the manifest, an Emergency, an EmergencyClear, a Command). Manifests, emergencies, clears and commands may all
come either way; a board with \`trustedKeys\` takes only envelopes.

The schemas are JSON Schema 2020-12. Formats used are \`date-time\` and \`uri\` (load \`ajv-formats\` or your
validator's equivalent); the signature is marked \`contentEncoding: "base64"\`. Every schema compiles under ajv
in strict mode, and what the reference server sends validates against them (\`test/docs/schemas-strict.test.ts\`).

### Times, units and clocks
- Instants are ISO 8601 date-time strings with an offset (\`Z\` or \`+07:00\`) everywhere but in proof of play,
  whose \`startedAt\`/\`endedAt\` are integers: epoch milliseconds (UTC).
- Durations carry their unit in their name: \`durationSec\`, \`pollAfterSec\`, \`appUptimeSec\`, \`upSeconds\`,
  \`downSeconds\`, \`expectedSeconds\` (seconds), \`clock.offsetMs\` (milliseconds); \`size\`, \`usedBytes\`,
  \`quotaBytes\` are bytes; \`Retry-After\` is seconds (or an HTTP date). Times of day (\`times\`, display hours) are
  \`HH:MM\` in the board's time zone; \`weekdays\` are ISO (1 = Monday … 7 = Sunday).
- Every time a board sends (\`at\` of an ack or a problem, \`sentAt\` and the other heartbeat times, \`takenAt\` of an
  upload, play times) is read on the **board clock**: the wall clock while it is plausible (see *Time* above: not
  behind the newest signed \`issuedAt\`, not a 1970 RTC, not more than ${span(CLOCK_TOLERANCE_MS)} ahead of a \`Date\` header that signed
  times do not contradict), otherwise the server's \`Date\` carried forward on the monotonic clock, never earlier
  than the newest signed time. The unsigned \`Date\` is a hint, never obeyed against a plausible wall clock. Play
  times are taken by the screen on the wall clock and shifted by the same correction when they are sent.
- \`clock-skew\`: when \`Date\` and the wall clock differ by more than ${span(CLOCK_SKEW_REPORT_MS)}, the board sends a \`problem\` of
  kind \`clock-skew\` ("device clock is N s behind the server's Date header (negative: ahead); board time follows
  the server" or "; not followed: …"), once, and again only when the error changes by more than ${span(CLOCK_SKEW_REPORT_MS)}. The
  heartbeat's \`clock.offsetMs\` is the \`Date\` header's clock minus the board's.

### Acks
Acks travel over push only, fire-and-forget: one sent while the socket is down is lost (the heartbeat's
\`sync.activeVersion\` and \`emergency\` tell the same state). A server may pass a socket.io acknowledgement
callback; the reference server answers it \`{ ok }\` (whether the ack passed the schema).

| ack kind | \`id\` is | \`at\` is |
|---|---|---|
| \`manifest\` | the \`version\` of the manifest just activated | when it was activated |
| \`emergency-start\` | the emergency's \`id\` | when a screen first showed it (once per id, kept across restarts) |
| \`emergency-clear\` | the emergency's \`id\` | when the board ended it: an \`${pushEvents.emergencyClear}\`, a \`clear-emergency\` command, or a newer manifest that no longer lists it (an emergency that simply expires is not acknowledged) |
| \`command\` | the command's \`id\`, or \`unknown\` when the message was too broken to read one | when it was carried out or refused; with \`ok\` and \`detail\` |

\`screenshot\` and \`upload-logs\` answer \`ok: true\` once the file is queued; \`detail\` names the upload id in
prose. The upload itself (\`POST ${paths.uploads('{deviceId}')}\`) carries \`commandId\` = the command's \`id\` in
its query: match on that, not on \`detail\`. The upload may arrive before or after the ack, and again after a
retry (idempotent by device and upload \`id\`).

### Proof of play
Deduplicate on each entry's \`id\` (\`batch.entries[].id\`): opaque, unique to the board and stable across
re-sends (the reference server keeps one record per device and \`id\`). Do not deduplicate on \`batchId\`: a batch
sent again after a failure may be cut differently. \`seq\` orders one board's entries; \`dropped\` is a running total.
A board forgets entries only after a 2xx and retries everything else, 4xx included, so answer 2xx to a batch
already stored.

### Retry and reconnect
| what | first wait | then | cap | jitter | starts again from the first wait |
|---|---|---|---|---|---|
| manifest poll, all well | ${poll} s (\`pollIntervalSec\`) | — | — | ±20 % | — |
| a sync pass that failed (manifest fetch, 5xx, 4xx, network, files still missing) | ${span(SYNC_RETRY.firstMs)} | ×${SYNC_RETRY.factor} | ${span(SYNC_RETRY.maxMs)} | ×0.5–1.5 | after a pass that finishes (200 or 304, files complete) |
| push reconnect (network lost, server gone) | ${span(PUSH_RECONNECT.firstMs)} | ×${PUSH_RECONNECT.factor} | ${pushCap} | ${jitter} | once connected; every reconnect also fetches the manifest |
| push dropped by the server (\`io server disconnect\`) | ${span(PUSH_RECONNECT.firstMs)}, then as above | | | ${jitter} | |
| push handshake refused (\`unauthorized\`) | ${span(PUSH_RECONNECT.firstMs)} | ×${PUSH_RECONNECT.factor} | ${pushCap} | ${jitter} | once connected |
| reports and uploads | ${span(UPLOAD_RETRY.firstMs)} | ×2 | ${span(UPLOAD_RETRY.maxMs)} | upper half at random | after a 2xx |
| pairing requests | ${span(PAIRING_RETRY.firstMs)} | ×2 | ${span(PAIRING_RETRY.maxMs)} | ×0.5–1.5 | after an answer; a \`Retry-After\` is waited instead (at most ${span(MAX_RETRY_AFTER_MS)}, plus 0–20 %) |
| a file set aside (bad bytes, refused, no byte in ${NO_PROGRESS_TRIES} tries, no room) | ${span(SET_ASIDE_BASE_MS)} | ×2 | ${span(SET_ASIDE_MAX_MS)} | — | when it arrives |

A \`Retry-After\` (seconds or an HTTP date, at most ${span(MAX_RETRY_AFTER_MS)}) on a failed manifest fetch, report or upload is a floor:
the next try comes no sooner than it asks, nor sooner than the table says. A province's fleet that lost its
server together therefore comes back within one push reconnect cap (${pushCap} × 1.5) of the server's return, spread
over that time, each board fetching its manifest as its socket reconnects.

**Refused token.** A 401 on any request, or a push handshake refused (\`connect_error\` with the message
\`unauthorized\`), makes the board ask once more ${span(REVOCATION_CHECK_AFTER_MS)} later (a manifest GET). A second 401 means the
token is revoked: the board forgets it, stops its push and pairs on screen again, showing that it was revoked; it
keeps playing what it has. Any other answer means the refusal was passing: the token is kept, and a refused push
keeps retrying its handshake as in the table (each refusal starts the same check). 403 and 404 never unpair a board.

**404 \`no-manifest\` while playing.** The board keeps playing the manifest (and any emergency) it has: a 404
is a failed pass, so the heartbeat shows \`sync.state: "retrying"\` with the answer in \`sync.lastError\` and the
board asks again on the sync backoff above (no \`problem\` is sent). A 404 ends no emergency and blanks
nothing: to take content off a board, publish a manifest without it.

**Heartbeats** go every ${beat} s (\`heartbeatIntervalSec\`) and at once when the board's state changes (at most every 5 s);
undelivered ones are kept, the newest ${HEARTBEATS_KEPT}, and sent together with the next. Uptime days go hourly.

### Push transport
- socket.io v4 (Engine.IO protocol 4): the board uses \`socket.io-client\` ${dependencyVersion('socket.io-client')}, the reference server
  \`socket.io\` ${dependencyVersion('socket.io')}. Default path \`/socket.io/\`, namespace \`${PUSH_NAMESPACE}\`, WebSocket transport only (the board
  never long-polls: a proxy in front of the server must pass the WebSocket upgrade).
- Credentials go in the handshake's \`auth\` (\`{ deviceId, token }\`), not in the query or headers. A refusal is
  a \`connect_error\` whose message is \`unauthorized\`.
- Liveness (Engine.IO's heartbeat): the server pings every ${span(PUSH_PING.intervalMs)} (\`pingInterval\`) and drops a board whose pong
  does not come within ${span(PUSH_PING.timeoutMs)} (\`pingTimeout\`); a board drops a connection that sent no ping for ${span(PUSH_PING.intervalMs)} + ${span(PUSH_PING.timeoutMs)}
  and reconnects as in the table. The reference server refuses messages over ${MAX_MESSAGE_BYTES / 1024} KiB.
- Board → server events (\`${deviceEvents.ack}\`, \`${deviceEvents.problem}\`) need no answer.
- **One connection per board.** socket.io multiplexes namespaces over a connection, not identities: on a shared
  \`Manager\`, a second \`socket('${PUSH_NAMESPACE}', { auth })\` returns the first board's socket, and the second board
  never connects. A gateway speaking for several boards opens each one's socket with
  \`io(serverUrl + '${PUSH_NAMESPACE}', { auth, forceNew: true, transports: ['websocket'] })\` (or one \`Manager\` per board;
  in python-socketio, one client per board).
- After \`io server disconnect\` (the server dropped the board, e.g. its token was replaced) socket.io does not
  reconnect by itself: reconnect anyway after a delay, and the handshake tells whether the token still holds.

### The reference server's admin API
Not part of the protocol (a source system has its own console), but the reference server's routes are listed in
[reference-server.md](reference-server.md#admin-api): devices, publish, emergency and its clear, \`command\`, pairings
and their approval, acks, problems, reports, uploads (list and file) and the plays export (\`plays.csv\`).
`
}
