// Text as the screen shows it: composed (NFC) and without bidi controls, which are invisible but reorder
// what follows them (an U+202E made "0987 654 321" read as another phone number on a public board).

/**
 * Bidi overrides and embeddings (U+202A–U+202E), isolates (U+2066–U+2069) and the direction marks
 * (U+200E, U+200F, U+061C: an RLM between digit groups swaps them). Boards show Vietnamese and other
 * Latin-script languages, which never need them.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/**
 * Every text the schedule or the board puts on screen (titles, bodies, ticker, emergency, board name)
 * goes through here; with `max`, cut to the contract's length: NFC can lengthen a string (U+FB2C becomes
 * three code units), and a notice cut at its limit is better than a message the screen refuses.
 */
export function screenText(text: string, max = Infinity): string {
  const shown = text.replace(BIDI_CONTROLS, '').normalize('NFC')
  if (shown.length <= max) return shown
  const cut = shown.slice(0, max)
  // Never half a surrogate pair at the cut.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut
}
