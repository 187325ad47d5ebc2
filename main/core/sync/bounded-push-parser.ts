// socket.io's wire parser for the board, with the limits every other untrusted JSON gets: a push frame
// is measured (size, nesting) before JSON.parse sees it, and binary frames, which the protocol never
// sends, are refused. A refused frame closes the connection ("parse error"); socket.io reconnects.
import { Decoder, Encoder } from 'socket.io-parser'
import { jsonDepth, JsonLimitError, MAX_JSON_DEPTH } from '../protocol/json-limits'

/** The largest push frame a board reads: an emergency or command is a few KiB; 1 MiB is generous. */
export const MAX_PUSH_FRAME_CHARS = 1024 * 1024

class BoundedDecoder extends Decoder {
  override add(frame: unknown): void {
    if (typeof frame !== 'string') throw new JsonLimitError('push frame refused: binary frames are not part of the protocol')
    if (frame.length > MAX_PUSH_FRAME_CHARS) throw new JsonLimitError(`push frame refused: ${frame.length} characters (at most ${MAX_PUSH_FRAME_CHARS})`)
    const depth = jsonDepth(frame)
    if (depth > MAX_JSON_DEPTH) throw new JsonLimitError(`push frame refused: nested deeper than ${MAX_JSON_DEPTH}`)
    super.add(frame)
  }
}

/** Pass as socket.io-client's `parser` option. */
export const boundedPushParser = { Encoder, Decoder: BoundedDecoder }
