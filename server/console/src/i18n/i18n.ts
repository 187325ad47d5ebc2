// The page's language: Vietnamese first, English switchable, remembered in localStorage; `t` looks strings
// up in the dictionaries (vi.ts, en.ts) and fills `{name}` values. Sets <html lang> on every change.
import { useSyncExternalStore } from 'react'
import { en } from './en'
import { vi, type DictKey } from './vi'
import { fill } from './fill'

export type Lang = 'vi' | 'en'
export type { DictKey }

const STORAGE_KEY = 'bangtin.console.lang'
const DICTIONARIES: Record<Lang, Record<DictKey, string>> = { vi, en }
const listeners = new Set<() => void>()

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi'
  } catch {
    return 'vi'
  }
}

let current: Lang = stored()
document.documentElement.lang = current

export function getLang(): Lang {
  return current
}

export function setLang(lang: Lang): void {
  current = lang
  document.documentElement.lang = lang
  try {
    localStorage.setItem(STORAGE_KEY, lang)
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  for (const listener of listeners) listener()
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** A string in the given language, with `{name}` placeholders filled from `values` (and `{name|one|many}` counted). */
export function translate(lang: Lang, key: DictKey, values: Record<string, string | number> = {}): string {
  return fill(DICTIONARIES[lang][key], values)
}

/** `t(key, values?)` in the current language; components re-render when the language changes. */
export function useI18n(): { lang: Lang; t: (key: DictKey, values?: Record<string, string | number>) => string; setLang: (lang: Lang) => void } {
  const lang = useSyncExternalStore(subscribe, getLang)
  return { lang, t: (key, values) => translate(lang, key, values), setLang }
}

/** True when the dictionary has this key (for codes from the server, e.g. audit actions). */
export function hasKey(key: string): key is DictKey {
  return key in vi
}
