// The page-level parts of the host⇄screen contract that need no schema library: the browser shell
// builds its first page from them before anything heavier has loaded (see docs/architecture.md, cold start).

/**
 * Id of the `<script type="application/json">` in which the browser shell inlines its current `show`
 * into the screen page, so the first item can paint before the WebSocket is open (the socket's `show`
 * follows and changes nothing when it is the same).
 */
export const FIRST_SHOW_ELEMENT_ID = 'bangtin-first-show'

/**
 * Id of the `<img>` of the first item that the browser shell puts in the page itself when it can
 * (an image whose size it read from the file's header), so the first picture paints before the
 * screen's script has even run; the screen takes it over (proof of play starts at its paint) and
 * removes it once its own copy is on screen.
 */
export const FIRST_PICTURE_ELEMENT_ID = 'bangtin-first-picture'

/**
 * The largest image the screen shows: 8192×8192 px (67 Mpx, 256 MiB decoded as RGBA), eight times a
 * 4K frame, more than any poster needs; beyond it a mini-PC's memory and raster time run out (a
 * 16,000² PNG froze the screen for seconds and drew black). No side may exceed 16,384 px either, the
 * largest texture Chromium's compositor draws, so a long thin strip is refused too rather than drawn black.
 */
export const MAX_IMAGE_PIXELS = 8192 * 8192
export const MAX_IMAGE_SIDE = 16_384

/** Whether an image of this size may be shown (see MAX_IMAGE_PIXELS). */
export const imageSizeAllowed = (width: number, height: number): boolean =>
  width > 0 && height > 0 && width * height <= MAX_IMAGE_PIXELS && width <= MAX_IMAGE_SIDE && height <= MAX_IMAGE_SIDE
