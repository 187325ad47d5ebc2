// The CDP pipe client against a real child process that speaks the pipe protocol (fd 3 in, fd 4 out,
// NUL-terminated JSON) and misbehaves on request: garbage, split and truncated messages, silence, exit.
import { spawn, type ChildProcess } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { CdpPipe } from '../../../main/browser/cdp-pipe'
import { memoryLogger } from '../../../main/core/log'
import { useTempDirs } from '../../helpers/temp-dir'

/** A stand-in browser: answers by method name, the way the test asks it to. */
const FAKE_BROWSER = String.raw`
// Sockets, not fs streams: a blocking fs read of fd 3 in the thread pool would keep process.exit waiting.
const net = require('node:net')
const input = new net.Socket({ fd: 3, readable: true, writable: false })
const out = new net.Socket({ fd: 4, readable: false, writable: true })
const answer = (message) => out.write(JSON.stringify(message) + '\0')
let buffer = ''
input.on('data', (chunk) => {
  buffer += chunk.toString('utf8')
  let end
  while ((end = buffer.indexOf('\0')) !== -1) {
    const { id, method, params, sessionId } = JSON.parse(buffer.slice(0, end))
    buffer = buffer.slice(end + 1)
    if (method === 'Echo') answer({ id, result: { params, sessionId } })
    else if (method === 'Fail') answer({ id, error: { code: -32000, message: 'No target with given id' } })
    else if (method === 'Garbage') out.write('{"id": ' + id + ', "resu\0' + '[1,2,3]\0' + '{"no":"shape"}\0')
    else if (method === 'Event') {
      answer({ method: 'Target.targetCreated', params: {} })
      answer({ id, result: { after: 'event' } })
    } else if (method === 'Split') {
      // The answer in pieces, cut inside a multi-byte character, together with the start of an event.
      const bytes = Buffer.from(JSON.stringify({ id, result: { text: 'Bảng tin điện tử' } }) + '\0{"method":"X"')
      const cut = bytes.indexOf(Buffer.from('ả')) + 1
      out.write(bytes.subarray(0, cut))
      setTimeout(() => out.write(Buffer.concat([bytes.subarray(cut), Buffer.from(',"params":{}}\0')])), 50)
    } else if (method === 'Huge') out.write('{"id":' + id + ',"result":{"data":"' + 'A'.repeat(100000))
    else if (method === 'Truncate') {
      out.write('{"id":' + id + ',"result":{"data":"abc', () => process.exit(0))
    } else if (method === 'Exit') process.exit(0)
    // 'Silent': never answered
  }
})
`

/** Longer than Vitest's 20 s test timeout: the test's own bound decides, never a race with the machine's speed. */
const ANSWERED_WITHIN_MS = 60_000

describe('CdpPipe', () => {
  const tempDir = useTempDirs()
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGKILL')
    child = undefined
  })

  // Calls that get an answer wait longer than the test itself may run: on a loaded machine the fake
  // browser (a whole Node process) can take seconds to start, and that must never fail a test. Only a
  // call that is never answered is given a short timeout, so no timeout races real work.
  async function connect(maxMessageBytes?: number): Promise<{ cdp: CdpPipe; log: ReturnType<typeof memoryLogger> }> {
    const script = join(await tempDir(), 'fake-browser.cjs')
    await writeFile(script, FAKE_BROWSER)
    child = spawn(process.execPath, [script], { stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'] })
    const log = memoryLogger()
    return { cdp: new CdpPipe(child.stdio[3] as Writable, child.stdio[4] as Readable, { timeoutMs: ANSWERED_WITHIN_MS, log, maxMessageBytes }), log }
  }

  it('sends a call with its session and resolves with the result; ignores events in between', async () => {
    const { cdp } = await connect()
    await expect(cdp.send('Echo', { a: 1 }, 'S1')).resolves.toEqual({ params: { a: 1 }, sessionId: 'S1' })
    await expect(cdp.send('Event')).resolves.toEqual({ after: 'event' })
    const many = await Promise.all([1, 2, 3].map((n) => cdp.send('Echo', { n })))
    expect(many).toEqual([1, 2, 3].map((n) => ({ params: { n } })))
  })

  it('passes events to listeners, in order with the answers, until unsubscribed', async () => {
    const { cdp } = await connect()
    const seen: unknown[] = []
    const stop = cdp.onEvent((method, params, sessionId) => seen.push({ method, params, sessionId }))
    await cdp.send('Event')
    // The event was written before the answer, so it has been delivered by the time the call resolves.
    expect(seen).toEqual([{ method: 'Target.targetCreated', params: {}, sessionId: undefined }])
    stop()
    await cdp.send('Event')
    expect(seen).toHaveLength(1)
  })

  it('rejects a call the browser answered with an error, with its message', async () => {
    const { cdp } = await connect()
    await expect(cdp.send('Fail')).rejects.toThrow('CDP Fail failed: No target with given id (-32000)')
    await expect(cdp.send('Echo')).resolves.toEqual({ params: {} })
  })

  it('puts together a message that arrives in pieces, cut inside a UTF-8 character', async () => {
    const { cdp, log } = await connect()
    await expect(cdp.send('Split')).resolves.toEqual({ text: 'Bảng tin điện tử' })
    await expect(cdp.send('Echo')).resolves.toEqual({ params: {} })
    expect(log.records.filter((r) => r.level !== 'info')).toEqual([])
  })

  it('skips garbage and messages of unknown shape: that call times out, the next ones work', async () => {
    const { cdp, log } = await connect()
    // Garbage is never a valid answer, so its timeout may fire before or after the garbage arrives:
    // either way it times out. The Echo after it waits as long as it takes.
    const garbage = cdp.send('Garbage', {}, undefined, 300)
    const echo = cdp.send('Echo', { still: 'alive' })
    await expect(garbage).rejects.toThrow('CDP Garbage: no answer within 300 ms')
    // Answers come in order on one pipe: once Echo's has arrived, so has all the garbage before it.
    await expect(echo).resolves.toEqual({ params: { still: 'alive' } })
    expect(log.records.map((r) => r.message)).toEqual([
      'CDP message is not JSON; ignored',
      'CDP message of unknown shape; ignored',
      'CDP message of unknown shape; ignored'
    ])
  })

  it('times out a call that is never answered', async () => {
    const { cdp } = await connect()
    await expect(cdp.send('Silent', {}, undefined, 100)).rejects.toThrow('no answer within 100 ms')
  })

  it('rejects every waiting call when the pipe closes mid-message, and later calls at once', async () => {
    const { cdp } = await connect()
    const silent = cdp.send('Silent')
    const truncated = cdp.send('Truncate')
    await expect(truncated).rejects.toThrow('CDP Truncate: pipe closed by the browser')
    await expect(silent).rejects.toThrow('CDP Silent: pipe closed by the browser')
    expect(cdp.closed).toBe(true)
    await expect(cdp.send('Echo')).rejects.toThrow('CDP Echo: pipe closed by the browser')
  })

  it('rejects waiting calls when the browser exits, and close() is idempotent', async () => {
    const { cdp } = await connect()
    const waiting = cdp.send('Silent')
    void cdp.send('Exit').catch(() => undefined)
    await expect(waiting).rejects.toThrow('pipe closed by the browser')
    cdp.close('again')
    await expect(cdp.send('Echo')).rejects.toThrow('pipe closed by the browser')
  })

  it('drops the connection when a message grows past the limit without ending', async () => {
    const { cdp, log } = await connect(50_000)
    await expect(cdp.send('Huge')).rejects.toThrow('CDP Huge: message too large')
    expect(cdp.closed).toBe(true)
    expect(log.records.at(-1)?.message).toBe('CDP message too large; dropping the connection')
  })

  it('close() rejects waiting calls with the given reason', async () => {
    const { cdp } = await connect()
    const waiting = cdp.send('Silent')
    cdp.close('chromium exited')
    await expect(waiting).rejects.toThrow('CDP Silent: chromium exited')
  })
})
