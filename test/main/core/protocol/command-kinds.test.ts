// The command registry: every kind on the wire has a handler in the core, a line in the docs and in the
// reference server's usage, and its arguments are checked against its schema with a reason to show.
import { describe, expect, it } from 'vitest'
import { protocolMarkdown, schemaFiles } from '../../../../scripts/protocol-docs'
import { COMMAND_HANDLERS, createCommandRunner, SHELL_NEEDS, type CommandDeps } from '../../../../main/core/commands'
import { memoryLogger } from '../../../../main/core/log'
import { COMMAND_KINDS, COMMAND_SPECS, commandArgsHint, isCommandKind, parseCommandArgs } from '../../../../main/core/protocol/command-kinds'

describe('command kinds', () => {
  it('every wire kind has its handler, and no handler is for a kind the wire does not know', () => {
    expect(Object.keys(COMMAND_HANDLERS).sort()).toEqual([...COMMAND_KINDS].sort())
    for (const kind of COMMAND_KINDS) expect(COMMAND_HANDLERS[kind].kind).toBe(kind)
  })

  it('says what each kind does in Vietnamese and English, in the docs and the published schema', () => {
    const docs = protocolMarkdown()
    const schema = JSON.parse(schemaFiles().get('command-kinds.schema.json')!) as { oneOf: { properties: { kind: { const: string } }; description: string }[] }
    expect(schema.oneOf.map((entry) => entry.properties.kind.const)).toEqual([...COMMAND_KINDS])
    for (const kind of COMMAND_KINDS) {
      const { vi, en } = COMMAND_SPECS[kind]
      expect(vi.trim(), kind).not.toBe('')
      expect(en.trim(), kind).not.toBe('')
      expect(docs).toContain(`| \`${kind}\` |`)
      expect(docs).toContain(`${vi} — ${en}`)
      for (const need of COMMAND_HANDLERS[kind].needs) expect(docs).toContain(SHELL_NEEDS[need])
    }
    expect(commandArgsHint('set-volume')).toBe('volume=0–1')
    expect(commandArgsHint('clear-emergency')).toBe('id=ID')
  })

  it('knows its kinds and nothing inherited', () => {
    for (const kind of COMMAND_KINDS) expect(isCommandKind(kind)).toBe(true)
    for (const kind of ['format-disk', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) expect(isCommandKind(kind)).toBe(false)
  })

  it('refuses missing or bad arguments with the reason, and ignores ones it does not know', () => {
    expect(parseCommandArgs('clear-emergency', {})).toEqual({ ok: false, detail: 'refused: id is missing' })
    expect(parseCommandArgs('clear-emergency', { id: 'bão số 3' })).toMatchObject({ ok: false, detail: expect.stringMatching(/^refused: ids are .*, got "bão số 3"$/) })
    expect(parseCommandArgs('set-volume', { volume: 1.5 })).toEqual({ ok: false, detail: 'refused: volume must be a number from 0 to 1, got 1.5' })
    expect(parseCommandArgs('set-volume', { volume: 0.25, fade: true })).toEqual({ ok: true, args: { volume: 0.25 } })
  })

  it('a runner refuses, before anything runs, a kind it has no handler for and a shell that lacks what a kind needs', async () => {
    const ran: string[] = []
    const deps: CommandDeps = {
      resync: () => ran.push('resync'),
      display: { set: async () => void ran.push('display') },
      emergencies: { active: () => [] },
      director: { clearEmergency: async () => void ran.push('clear') },
      host: { reload: () => 0, setVolume: () => ran.push('volume') },
      screenshots: { take: async () => (ran.push('shot'), { id: 'x', width: 1, height: 1, bytes: 1 }) },
      settings: { update: async (patch) => (ran.push('settings'), { volume: patch.volume ?? 1 }) },
      shell: {},
      upload: async () => void ran.push('upload'),
      log: memoryLogger()
    }
    const run = createCommandRunner(deps)
    const command = (kind: string, args: Record<string, string | number | boolean> = {}) => ({ id: `c-${kind}`, kind, issuedAt: '2026-01-01T00:00:00Z', expiresAt: '2026-01-01T01:00:00Z', args })
    expect(await run(command('format-disk'))).toEqual({ ok: false, detail: 'refused: format-disk is not supported by this version' })
    for (const kind of COMMAND_KINDS) {
      const needs = COMMAND_HANDLERS[kind].needs
      if (needs.length === 0) continue
      expect(await run(command(kind)), kind).toEqual({ ok: false, detail: `refused: ${SHELL_NEEDS[needs[0]!]}` })
    }
    expect(await run(command('set-volume', { volume: 7 }))).toMatchObject({ ok: false })
    expect(ran).toEqual([])
  })
})
