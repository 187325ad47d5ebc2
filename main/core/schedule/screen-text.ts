// Text as the screen shows it: composed (NFC) and without bidi controls, which are invisible but reorder
// what follows them (an U+202E made "0987 654 321" read as another phone number on a public board).

/**
 * Bidi overrides and embeddings (U+202A–U+202E), isolates (U+2066–U+2069) and the direction marks
 * (U+200E, U+200F, U+061C: an RLM between digit groups swaps them). Boards show Vietnamese and other
 * Latin-script languages, which never need them.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g

/** Every text the schedule or the board puts on screen (titles, bodies, ticker, emergency, board name) goes through here. */
export function screenText(text: string): string {
  return text.replace(BIDI_CONTROLS, '').normalize('NFC')
}
