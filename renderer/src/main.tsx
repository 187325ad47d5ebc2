// Screen entry: subscribes the store to the bridge once, outside components, then renders.
import './no-eval'
import './fonts.css'
import './styles.css'
import { createRoot } from 'react-dom/client'
import { selectBridge } from './bridge/select-bridge'
import { Screen } from './components/Screen'
import { useScreenStore } from './store'

const bridge = selectBridge()
if (bridge) {
  const store = useScreenStore.getState()
  bridge.onConnection((state) => store.setConnection(state))
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

createRoot(document.getElementById('root')!).render(<Screen bridge={bridge} />)
