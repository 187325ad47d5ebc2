// The screen runs under a strict Content-Security-Policy (no eval, no inline script): loading it and
// playing the demo must not trip it once (each trip is a violation report and a console error).
import { expect, test } from '../fixtures/test'
import { ScreenPage } from '../pages/screen-page'

test('the screen loads and plays with no Content-Security-Policy violation', async ({ page, shell }) => {
  const messages: string[] = []
  page.on('console', (message) => {
    if (/content security policy|unsafe-eval/i.test(message.text())) messages.push(`${message.type()}: ${message.text()}`)
  })
  // Counted from before the page's own scripts run.
  await page.addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { cspViolations: string[] }).cspViolations = seen
    document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.effectiveDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`)
    })
  })
  await page.setViewportSize({ width: 1920, height: 1080 })
  await page.goto(shell.screenUrl)
  const screen = new ScreenPage(page)
  // The demo's first notice on screen: the bridge, the store and the contract's parsing have all run.
  await expect(screen.activeSlide).toContainText('Ủy ban nhân dân')
  await page.evaluate(() => document.fonts.ready)
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([])
  expect(messages).toEqual([])
})
