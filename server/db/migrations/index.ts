// Every schema migration, by name; Kysely applies them in name order and records each once.
// Numbering: 0001–0099 base, 0100 devices, 0200 access, 0300 content and schedules,
// 0400 approval, emergencies and reports. A new migration takes the next free number of its area;
// a migration that has shipped is never edited, only followed by another.
import type { Migration } from 'kysely'
import * as m0001 from './0001-meta'
import * as m0100 from './0100-devices'
import * as m0200 from './0200-access'
import * as m0300 from './0300-library'
import * as m0301 from './0301-text-style'
import * as m0350 from './0350-programme'
import * as m0400 from './0400-editorial'

export const MIGRATIONS: Record<string, Migration> = {
  '0001-meta': m0001,
  '0100-devices': m0100,
  '0200-access': m0200,
  '0300-library': m0300,
  '0301-text-style': m0301,
  '0350-programme': m0350,
  '0400-editorial': m0400
}
