// A test page for e2e/specs/unrenderable-slide.spec.ts: the real Screen and store, fed programs the
// contract would refuse (a kind no slide draws, a text whose body makes its slide throw), through a
// bridge that records what the screen reports. The case is named by the URL's query (?case=…).
import '../../../renderer/src/fonts.css'
import '../../../renderer/src/styles.css'
import { createRoot } from 'react-dom/client'
import type { Program, ShowPayload } from '../../../contract/screen'
import type { Bridge } from '../../../renderer/src/bridge/bridge'
import { Screen } from '../../../renderer/src/components/Screen'
import { UnrenderableSlide } from '../../../renderer/src/components/slides'
import { useScreenStore } from '../../../renderer/src/store'

const sent: { verb: string; payload: unknown }[] = []
;(window as unknown as { sent: typeof sent }).sent = sent
const bridge: Bridge = {
  transport: 'websocket',
  send: (verb, payload) => void sent.push({ verb, payload }),
  on: () => () => undefined,
  onConnection: () => undefined,
  start: () => undefined
}

const board = { name: 'Bảng tin xã Hòa Bắc', timeZone: 'Asia/Ho_Chi_Minh' }
const hologram = { id: 'ba-chieu', kind: 'hologram', durationMs: 60_000 }
const throwing = { id: 'hong', kind: 'text', title: 'Hỏng', body: 42, durationMs: 60_000 }
const notice = { id: 'thong-bao', kind: 'text', title: 'Thông báo', body: 'Lịch tiêm chủng tuần này', durationMs: 60_000 }
const programs: Record<string, unknown[]> = {
  unknown: [hologram],
  'unknown-then-text': [hologram, notice],
  throws: [throwing, notice],
  'throws-only': [throwing]
}

const root = createRoot(document.getElementById('root')!)
const which = new URLSearchParams(location.search).get('case') ?? ''
useScreenStore.setState({ board })
if (which === 'alone') {
  // The stand-in itself, held on screen (its failure goes nowhere).
  root.render(
    <main className="stage">
      <section className="zone zone-main" style={{ left: 0, top: 0, width: '100%', height: '100%' }}>
        <div className="slide" data-active="true">
          <UnrenderableSlide kind="hologram" reason="held for the test" onFailed={() => undefined} />
        </div>
      </section>
    </main>
  )
} else {
  const program = { version: `harness/${which}`, items: programs[which] ?? [] } as Program
  const show: ShowPayload = {
    board,
    displayOn: true,
    pairing: null,
    volume: 1,
    zones: [{ zone: { id: 'main', role: 'main', x: 0, y: 0, width: 1, height: 1 }, program }]
  } as ShowPayload
  useScreenStore.getState().show(show)
  root.render(<Screen bridge={bridge} />)
}
