// Compile-time checks of the kind registries (compiled by `npm run typecheck`, never run): each
// `@ts-expect-error` is a mistake the type system must refuse — a kind forgotten, added on one side
// only, or a handler reaching for a shell capability it did not declare. An unused one fails typecheck.
import type { ScreenItem } from '../../../contract/screen'
import { COMMAND_HANDLERS, handle, type CommandHandlers } from '../../../main/core/commands'
import type { CommandKind } from '../../../main/core/protocol/command-kinds'
import { ITEM_KINDS, type ItemKind, type ItemKindSpec } from '../../../main/core/protocol/manifest'
import { SCREEN_ITEM_BUILDERS, type ScreenItemBuilders } from '../../../main/core/schedule/screen-view'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(proof: Equal<A, B>): Equal<A, B> => proof

// Every wire kind has exactly one handler, under its own name.
same<keyof typeof COMMAND_HANDLERS, CommandKind>(true)
const { resync: _resync, ...withoutResync } = COMMAND_HANDLERS
// @ts-expect-error a wire kind without a handler
export const forgotten: CommandHandlers = withoutResync
// @ts-expect-error a handler for a kind the wire does not know
export const extra = { ...COMMAND_HANDLERS, 'format-disk': handle('resync', [], () => ({ ok: true, detail: '' })) } satisfies CommandHandlers
// @ts-expect-error a handler filed under another kind's name
export const misfiled = { ...COMMAND_HANDLERS, reload: COMMAND_HANDLERS.resync } satisfies CommandHandlers
// A handler's arguments are its kind's schema.
handle('set-volume', [], ({ volume }) => ({ ok: volume >= 0, detail: '' }))
// @ts-expect-error no such argument on this kind
handle('set-volume', [], ({ level }) => ({ ok: level, detail: '' }))
// The shell is typed to what the handler declared it needs.
handle('restart', ['restart'], (_, { shell }) => (shell.restart(), { ok: true, detail: '' }))
// @ts-expect-error a capability the handler did not declare
handle('restart', [], (_, { shell }) => (shell.restart(), { ok: true, detail: '' }))

// Every manifest item kind has an entry saying whether it carries an asset, and the flag must be true.
const { stream: _stream, ...withoutStream } = ITEM_KINDS
// @ts-expect-error an item kind without an entry
export const forgottenItem: { [K in ItemKind]: ItemKindSpec<K> } = withoutStream
// @ts-expect-error the flag disagrees with the schema (text items have no asset field)
export const wrongFlag = { ...ITEM_KINDS, text: { asset: true, vi: 'chữ', en: 'text' } } satisfies { [K in ItemKind]: ItemKindSpec<K> }
// @ts-expect-error the flag disagrees with the schema (image items play an asset)
export const wrongFlag2 = { ...ITEM_KINDS, image: { asset: false, vi: 'ảnh', en: 'image' } } satisfies { [K in ItemKind]: ItemKindSpec<K> }

// Every manifest item kind becomes a screen item, of the same kind; the two sets of kinds are the same.
same<ItemKind, ScreenItem['kind']>(true)
const { ticker: _ticker, ...withoutTicker } = SCREEN_ITEM_BUILDERS
// @ts-expect-error an item kind the screen view does not know how to show
export const forgottenBuilder: ScreenItemBuilders = withoutTicker
// @ts-expect-error a builder that turns a text item into another kind of screen item
export const crossed = { ...SCREEN_ITEM_BUILDERS, text: (item) => ({ id: item.id, kind: 'ticker', text: item.body, speed: 1, durationMs: 1 }) } satisfies ScreenItemBuilders
