// Protocol v1: remote commands — the envelope, and one entry per command kind a board carries out (its
// arguments and one line for people). The kinds a board accepts, the docs and the CLI usage derive from it.
import { z } from 'zod'
import { Id, IsoDateTime } from './manifest'

/** One command kind as the source system sees it; how a board runs it lives in the core (main/core/commands.ts). */
export interface CommandSpec {
  /** Its `args`. Keys it does not name are ignored, so a newer server may add optional ones. */
  args: z.ZodObject
  /** What it does, for operators (the docs, the CLI): Vietnamese first, English second. */
  vi: string
  en: string
}

const NoArgs = z.object({})
const VOLUME = 'volume must be a number from 0 to 1'

/** Every command kind. Adding one here is the whole wire side; the core's handler table must then cover it. */
export const COMMAND_SPECS = {
  resync: { args: NoArgs, vi: 'lấy danh sách phát mới ngay', en: 'fetch the manifest now' },
  reload: { args: NoArgs, vi: 'tải lại màn hình', en: 'reload the screen(s)' },
  screenshot: { args: NoArgs, vi: 'chụp màn hình và gửi lên', en: 'capture the screen and upload it (the ack names the upload)' },
  restart: { args: NoArgs, vi: 'khởi động lại phần mềm bảng tin', en: 'restart the player, once the ack is sent' },
  'display-on': { args: NoArgs, vi: 'bật màn hình', en: 'switch the display on' },
  'display-off': { args: NoArgs, vi: 'tắt màn hình', en: 'switch the display off' },
  'clear-emergency': { args: z.object({ id: Id }), vi: 'gỡ bản tin khẩn cấp đang phát', en: 'end the active emergency with this id' },
  'upload-logs': { args: NoArgs, vi: 'gửi nhật ký hoạt động lên', en: 'bundle the log files and upload them (the ack names the upload)' },
  'set-volume': {
    args: z.object({ volume: z.number({ error: VOLUME }).min(0, VOLUME).max(1, VOLUME) }),
    vi: 'đặt âm lượng chung, giữ cả khi khởi động lại',
    en: 'set the master volume, kept across restarts'
  }
} satisfies Record<string, CommandSpec>

export type CommandKind = keyof typeof COMMAND_SPECS
export type CommandArgs<K extends CommandKind> = z.infer<(typeof COMMAND_SPECS)[K]['args']>
export const COMMAND_KINDS = Object.keys(COMMAND_SPECS) as readonly CommandKind[]

export function isCommandKind(kind: string): kind is CommandKind {
  return Object.hasOwn(COMMAND_SPECS, kind)
}

/** A remote command. Commands arrive over the authenticated push channel, signed when the board has keys, and expire. */
export const Command = z.object({
  id: Id,
  /** Any string: a board refuses kinds it does not know, with a reason, rather than dropping them. */
  kind: z.string().min(1).max(100),
  issuedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  args: z.record(z.string(), z.union([z.string().max(2000), z.number(), z.boolean()])).default({})
})
export type Command = z.infer<typeof Command>
export type CommandResult = { ok: boolean; detail: string }

/** The `kind` and `args` of every command a board carries out (what the published schema shows beside the envelope). */
export const CommandKindArgs = z.discriminatedUnion(
  'kind',
  COMMAND_KINDS.map((kind) => {
    const args = COMMAND_SPECS[kind].args
    const { vi, en } = COMMAND_SPECS[kind]
    return z.object({ kind: z.literal(kind), args: Object.keys(args.shape).length === 0 ? args.optional() : args }).describe(`${vi} / ${en}`)
  }) as unknown as [z.ZodObject<{ kind: z.ZodLiteral<CommandKind> }>]
)

/** A command's arguments checked against its kind, or why they are refused (said to the operator in the ack). */
export function parseCommandArgs<K extends CommandKind>(kind: K, args: Command['args']): { ok: true; args: CommandArgs<K> } | { ok: false; detail: string } {
  const parsed = COMMAND_SPECS[kind].args.safeParse(args)
  if (parsed.success) return { ok: true, args: parsed.data as CommandArgs<K> }
  const reasons = parsed.error.issues.slice(0, 3).map((issue) => {
    const key = String(issue.path[0] ?? '')
    if (key === '') return issue.message
    const value = args[key]
    const message = issue.message.startsWith(key) ? issue.message : value === undefined ? `${key} is missing` : `${key}: ${issue.message}`
    return value === undefined ? message : `${message}, got ${JSON.stringify(value)}`
  })
  return { ok: false, detail: `refused: ${reasons.join('; ')}` }
}

/** The arguments as typed on a command line, e.g. `volume=0–1` (from the schema, so it cannot drift). */
export function commandArgsHint(kind: CommandKind): string {
  const schema = z.toJSONSchema(COMMAND_SPECS[kind].args, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { type?: string; minimum?: number; maximum?: number }>
  }
  return Object.entries(schema.properties ?? {})
    .map(([key, property]) => {
      if (property.minimum !== undefined && property.maximum !== undefined) return `${key}=${property.minimum}–${property.maximum}`
      return `${key}=${property.type === 'string' ? key.toUpperCase() : (property.type ?? 'value').toUpperCase()}`
    })
    .join(' ')
}
