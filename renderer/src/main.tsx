// Screen entry: subscribes the store to the bridge once, outside components, then renders.
import './no-eval'
import './fonts.css'
import './styles.css'
import { flushSync } from 'react-dom'
import { createRoot } from 'react-dom/client'
import { contractIssues, FIRST_SHOW_ELEMENT_ID, FirstShowPayload } from '../../contract/screen'
import { selectBridge } from './bridge/select-bridge'
import { Screen } from './components/Screen'
import { dropFirstPicture, firstPictureAdopted } from './first-picture'
import { useScreenStore } from './store'

/** Why the inlined first show was refused, reported once the bridge is connected (never silent). */
let inlinedRefusal: string | null = null

/** The show the browser shell inlined into the page (null in Electron, or when absent or malformed: the socket's own follows). */
function inlinedShow(): FirstShowPayload | null {
  const text = document.getElementById(FIRST_SHOW_ELEMENT_ID)?.textContent
  if (!text) return null
  try {
    const parsed = FirstShowPayload.safeParse(JSON.parse(text))
    if (parsed.success) return parsed.data
    inlinedRefusal = contractIssues(parsed.error)
  } catch {
    inlinedRefusal = 'not JSON'
  }
  return null
}

const bridge = selectBridge()
if (bridge) {
  const store = useScreenStore.getState()
  // The first item starts loading with the first render; the socket's own show follows and, being the
  // same, keeps the rotation as it is.
  const first = inlinedShow()
  if (first) {
    store.setEmergency(first.emergency)
    store.show(first)
  }
  bridge.onConnection((state) => {
    store.setConnection(state)
    if (state !== 'connected' || inlinedRefusal === null) return
    bridge.send('rejected', { verb: 'first show (inlined)', reason: inlinedRefusal })
    inlinedRefusal = null
  })
  bridge.on('emergency', ({ emergency }) => useScreenStore.getState().setEmergency(emergency))
  bridge.on('show', (payload) => useScreenStore.getState().show(payload))
  bridge.on('status', (payload) => useScreenStore.getState().setStatus(payload))
  // A remote "reload screen": a fresh page says `ready` again and gets the whole state back.
  bridge.on('reload', ({ reason }) => {
    console.info('reload requested by the host:', reason)
    location.reload()
  })
  // Painted frames since load: a frozen screen stops this counter even while the page still answers.
  let frames = 0
  const countFrame = (): void => {
    frames++
    requestAnimationFrame(countFrame)
  }
  requestAnimationFrame(countFrame)
  bridge.on('ping', ({ seq }) => bridge.send('pong', { seq, frames }))
  bridge.start()
} else {
  // Opened without a host (e.g. the HTML file directly): still a dignified screen, never a blank page.
  useScreenStore.getState().setConnection('disconnected')
}

// Rendered at once (not in a later task): the page's first picture, if any, is adopted by this render
// or removed right after it, never left over whatever the screen shows.
const root = createRoot(document.getElementById('root')!)
flushSync(() => root.render(<Screen bridge={bridge} />))
if (!firstPictureAdopted()) dropFirstPicture()
