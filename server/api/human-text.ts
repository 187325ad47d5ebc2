// Text a person types that other people (or boards) see: one rule for every room. Stored NFC; refuses
// control, format and invisible characters (bidi overrides make "\u202EnA úhP ãX" display as "Xã Phú An";
// zero-width, tag and variation characters make a second "Xã Phú An" that is not equal to the first), a
// combining mark with no letter under it, a word mixing look-alike alphabets ("Xа" with Cyrillic а), and a
// value with nothing visible in it (a blank slide). Stacked combining marks on a letter (Central Highlands
// orthographies, e.g. "Ơ̆") are kept as they are, in order.
import { z } from 'zod'

/**
 * Never in text people see: C0/C1 controls other than tab and newlines; every format character (Cf: bidi
 * marks and overrides, zero-width space/joiners, word joiner, soft hyphen, tags, U+FFF9–B; Vietnamese and the
 * Central Highlands languages need no joiner); every default-ignorable character (variation selectors,
 * U+034F, Hangul fillers, Khmer U+17B4/5 …); private use, unassigned and noncharacters, lone surrogates;
 * blank look-alikes (braille blank U+2800); the object and replacement characters; line/paragraph
 * separators (a multi-line value has them made "\n" first, normaliseHumanText).
 */
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\p{Cf}\p{DI}\p{Co}\p{Cn}\p{Cs}\u115f\u1160\u2800\u3164\uffa0\ufffc\ufffd\u2028\u2029]/u
/** Something a reader sees: a letter, number, punctuation or symbol (marks alone and spaces are not) … */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u
/** … other than these, which are letters or symbols that show as blanks (braille blank, Hangul fillers). */
const BLANK_LOOKALIKES = /[\u115f\u1160\u2800\u3164\uffa0]/gu
/** A combining mark with nothing under it: at the start, or after a space or line break. */
const STRAY_MARK = /(?:^|\s)\p{M}/u
/** A word: letters, marks and digits in a row. */
const WORD = /[\p{L}\p{M}\p{N}]+/gu
/** Alphabets whose letters look like each other: a word uses at most one (Vietnamese is all Latin). */
const LOOKALIKE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u, /\p{Script=Armenian}/u, /\p{Script=Cherokee}/u]

export interface TextLabel {
  /** How the field is named to the person, e.g. "Tên đơn vị" / "The unit name". */
  vi: string
  en: string
}

export interface TextProblem {
  code: 'control-character' | 'invisible-text' | 'stray-mark' | 'mixed-script'
  vi: string
  en: string
}

/** NFC, CRLF made LF, trimmed; a single-line value has its line breaks folded into spaces. */
export function normaliseHumanText(value: string, multiline = false): string {
  const lf = value.normalize('NFC').replace(/\r\n?/g, '\n')
  // In a multi-line value U+2028/2029 are line breaks too; in a single-line one they stay, to be refused.
  const text = (multiline ? lf.replace(/[\u2028\u2029]/g, '\n') : lf).trim()
  return multiline ? text : text.replace(/\s*\n\s*/g, ' ')
}

/** U+XXXX, how a character nobody can see is named in a refusal. */
function codePoint(char: string): string {
  return `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** What is wrong with an (already normalised) value, in words naming the field; null when nothing is. */
export function humanTextProblem(text: string, label: TextLabel, allowBlank = false): TextProblem | null {
  if (!VISIBLE.test(text.replace(BLANK_LOOKALIKES, '')) && !(allowBlank && text === '')) {
    return {
      code: 'invisible-text',
      vi: `${label.vi} không được để trống (chỉ có khoảng trắng hay ký tự vô hình).`,
      en: `${label.en} must not be empty (it has only spaces or invisible characters).`
    }
  }
  const forbidden = FORBIDDEN.exec(text)
  if (forbidden) {
    const at = [...text.slice(0, forbidden.index)].length + 1
    const which = codePoint(forbidden[0])
    return {
      code: 'control-character',
      vi: `${label.vi} chứa ký tự điều khiển hay ký tự vô hình (${which}, ở vị trí ${at}), không hiển thị được: hãy gõ lại.`,
      en: `${label.en} contains a control character or an invisible one (${which}, at position ${at}), which cannot be shown: type it again.`
    }
  }
  const stray = STRAY_MARK.exec(text)
  if (stray) {
    const at = [...text.slice(0, stray.index + stray[0].length)].length
    return {
      code: 'stray-mark',
      vi: `${label.vi} có dấu đứng riêng không gắn vào chữ nào (ở vị trí ${at}).`,
      en: `${label.en} has an accent mark on no letter (at position ${at}).`
    }
  }
  for (const word of text.match(WORD) ?? []) {
    if (LOOKALIKE_SCRIPTS.filter((script) => script.test(word)).length > 1) {
      return {
        code: 'mixed-script',
        vi: `${label.vi} có từ «${word}» trộn chữ của hai bảng chữ cái (ví dụ chữ Kirin trông giống chữ Latinh).`,
        en: `${label.en} has a word "${word}" mixing letters of two alphabets (e.g. a Cyrillic letter that looks Latin).`
      }
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
