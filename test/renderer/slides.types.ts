// Compile-time checks of the renderer's slide table (compiled by `npm run typecheck`, never run): a
// screen item kind without a slide, or a slide drawing another kind, must not compile.
import { SLIDES, type SlideTable } from '../../renderer/src/components/slides'

const { stream: _stream, ...withoutStream } = SLIDES
// @ts-expect-error a screen item kind with no slide to draw it
export const forgotten: SlideTable = withoutStream
// @ts-expect-error the image slide cannot draw text items
export const crossed = { ...SLIDES, text: SLIDES.image } satisfies SlideTable
// @ts-expect-error a slide for a kind the contract does not know
export const extra = { ...SLIDES, hologram: SLIDES.text } satisfies SlideTable
