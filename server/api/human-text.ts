// Text a person types that other people (or boards) see: one rule for every room. Stored NFC; refuses
// control characters and bidi overrides/isolates (they make "\u202EnA úhP ãX" display as "Xã Phú An") and
// a value with nothing visible in it (zero-width characters only: a blank slide). Stacked combining marks
// with no precomposed letter (Central Highlands orthographies, e.g. "Ơ̆") are kept as they are, in order.
import { z } from 'zod'

/** C0/C1 controls other than tab and newlines, bidi embeddings/overrides (U+202A–E) and isolates (U+2066–9). */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u
/** What shows nothing: whitespace and format characters (zero-width space/joiners, word joiner, BOM …). */
const INVISIBLE = /[\s\p{Cf}\u115f\u1160\u3164\uffa0]/gu

export interface TextLabel {
  /** How the field is named to the person, e.g. "Tên đơn vị" / "The unit name". */
  vi: string
  en: string
}

export interface TextProblem {
  code: 'control-character' | 'invisible-text'
  vi: string
  en: string
}

/** NFC, CRLF made LF, trimmed; a single-line value has its line breaks folded into spaces. */
export function normaliseHumanText(value: string, multiline = false): string {
  const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim()
  return multiline ? text : text.replace(/\s*\n\s*/g, ' ')
}

/** What is wrong with an (already normalised) value, in words naming the field; null when nothing is. */
export function humanTextProblem(text: string, label: TextLabel, allowBlank = false): TextProblem | null {
  if (FORBIDDEN.test(text)) {
    return { code: 'control-character', vi: `${label.vi} chứa ký tự điều khiển không hiển thị được.`, en: `${label.en} contains a control character that cannot be shown.` }
  }
  if (text.replace(INVISIBLE, '') === '' && !(allowBlank && text === '')) {
    return {
      code: 'invisible-text',
      vi: `${label.vi} không được để trống (chỉ có khoảng trắng hay ký tự vô hình).`,
      en: `${label.en} must not be empty (it has only spaces or invisible characters).`
    }
  }
  return null
}

export interface HumanTextOptions extends TextLabel {
  max: number
  multiline?: boolean
  /** The empty string is a value (e.g. an optional title); invisible-only text still is not. */
  allowBlank?: boolean
}

/**
 * The zod building block: normalises, then refuses as humanTextProblem says, then the length (after
 * normalising: NFC may shorten it). A failure is a custom issue carrying its own bilingual words
 * (server/api/errors.ts zodFailure uses them, with the field's path).
 */
export function humanText(options: HumanTextOptions): z.ZodString {
  const { max, multiline = false, allowBlank = false } = options
  const label = { vi: options.vi, en: options.en }
  return z
    .string()
    .overwrite((value) => normaliseHumanText(value, multiline))
    .check((ctx) => {
      const problem = humanTextProblem(ctx.value, label, allowBlank)
      if (problem) {
        ctx.issues.push({ code: 'custom', input: ctx.value, message: problem.en, params: { ...problem }, continue: false })
        return
      }
      if (ctx.value.length > max) {
        const vi = `${label.vi} dài quá: tối đa ${max} ký tự (đang có ${ctx.value.length}).`
        const en = `${label.en} is too long: at most ${max} characters (it has ${ctx.value.length}).`
        ctx.issues.push({ code: 'custom', input: ctx.value, message: en, params: { code: 'too-long', vi, en }, continue: false })
      }
    })
    // Never the first to fail (the check above words it better); they put the bounds in the OpenAPI document.
    .min(allowBlank ? 0 : 1)
    .max(max)
    .meta({ description: `${options.en}: visible text, at most ${max} characters${multiline ? '' : ', one line'}` })
}
