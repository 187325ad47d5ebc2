// Approval against a real reference server: approving publishes (the board's manifest changes); a publication
// the server refuses keeps the submission waiting with the error; send-back needs a reason; history tells all.
import { afterEach, describe, expect, it } from 'vitest'
import { ApprovalDesk, type Submission } from '../../../server/editorial/approval'
import { EditorialError, type Actor } from '../../../server/editorial/errors'
import { startTestServer, type TestServer } from '../../../server/testing/test-server'
import { useTempDirs } from '../../helpers/temp-dir'
import { openEditorialDb } from './boards'

const editor: Actor = { userId: 'bt-lan', roles: ['bien-tap'] }
const approver: Actor = { userId: 'duyet-minh', roles: ['duyet'] }
const both: Actor = { userId: 'xa-nho', roles: ['bien-tap', 'duyet'] }
const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => (error instanceof EditorialError ? { status: error.status, ...error.toJSON().error } : error))

describe('approval: submit, approve (publish), send back, history', () => {
  const tempDir = useTempDirs()
  const cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  /** The room that owns publications: here, a text notice per subject id, published by the real server (invalid ids refused by it). */
  async function setup(options: { fourEyes?: boolean } = {}): Promise<{ server: TestServer; desk: ApprovalDesk }> {
    const server = await startTestServer({ port: 0 })
    cleanup.push(() => server.close())
    server.addDevice('bang-01')
    const { db } = await openEditorialDb(await tempDir(), cleanup)
    const publish = (submission: Submission) => {
      server.publish({ schema: 'bangtin.manifest/v1', version: submission.subjectId, playlists: [{ id: submission.subjectId, name: submission.summary, items: [{ id: 'tin', kind: 'text', body: submission.summary, durationSec: 10 }] }], assets: [] }, new Map())
    }
    return { server, desk: new ApprovalDesk({ db, publish, ...options }) }
  }
  /** What the server would hand the board now, asked over its admin API. */
  const version = async (server: TestServer) => {
    const res = await fetch(`${server.url}/admin/devices`, { headers: { authorization: `Bearer ${server.adminToken}` } })
    return ((await res.json()) as { devices: unknown[] }).devices
  }

  it('editor submits, approver approves: published, out of the queue, history says who and when', async () => {
    const { server, desk } = await setup()
    const submitted = await desk.submit({ kind: 'publication', subjectId: 'lich-tiem-thang-12', unitId: 'xa-phu-an', summary: 'Lịch tiêm chủng tháng 12' }, editor)
    expect(submitted).toMatchObject({ state: 'submitted', submittedBy: 'bt-lan', unitId: 'xa-phu-an' })
    expect((await desk.queue(['xa-phu-an'])).map((s) => s.id)).toEqual([submitted.id])
    expect(await desk.queue(['xa-khac'])).toEqual([])
    expect(await refusal(desk.submit({ kind: 'publication', subjectId: 'lich-tiem-thang-12', unitId: 'xa-phu-an', summary: 'lại' }, editor))).toMatchObject({ status: 409, code: 'already-submitted' })
    expect(await refusal(desk.approve(submitted.id, editor))).toMatchObject({ status: 403, code: 'forbidden' })
    expect(await refusal(desk.approve(submitted.id, approver, ['xa-khac']))).toMatchObject({ status: 404, code: 'submission-unknown' })

    const approved = await desk.approve(submitted.id, approver, ['xa-phu-an'])
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'duyet-minh', lastError: null })
    expect(await version(server)).toEqual([expect.objectContaining({ deviceId: 'bang-01', manifestVersion: 'lich-tiem-thang-12' })])
    expect(await desk.queue()).toEqual([])
    expect(await refusal(desk.approve(submitted.id, approver))).toMatchObject({ status: 409, code: 'not-waiting' })
    expect((await desk.history('publication', 'lich-tiem-thang-12')).map((e) => [e.action, e.actor, e.selfApproved])).toEqual([
      ['submit', 'bt-lan', false],
      ['approve', 'duyet-minh', false]
    ])
  })

  it('send back needs a reason (both languages, naming the field); the editor resubmits and history keeps both rounds', async () => {
    const { desk } = await setup()
    const first = await desk.submit({ kind: 'schedule-entry', subjectId: 'le-hoi-2027', unitId: 'xa-phu-an', summary: 'Lịch lễ hội' }, editor)
    for (const blank of ['', '   ']) {
      expect(await refusal(desk.sendBack(first.id, approver, blank))).toEqual({ status: 400, code: 'invalid', field: 'reason', vi: 'Phải nêu lý do trả lại.', en: 'A reason for sending it back is required.' })
    }
    expect((await desk.get(first.id)).state).toBe('submitted')
    const back = await desk.sendBack(first.id, approver, 'Sai ngày khai mạc: 15/01, không phải 16/01.')
    expect(back).toMatchObject({ state: 'sent-back', reason: 'Sai ngày khai mạc: 15/01, không phải 16/01.', decidedBy: 'duyet-minh' })
    expect(await refusal(desk.approve(first.id, approver))).toMatchObject({ code: 'not-waiting' })
    const second = await desk.submit({ kind: 'schedule-entry', subjectId: 'le-hoi-2027', unitId: 'xa-phu-an', summary: 'Lịch lễ hội (đã sửa)' }, editor)
    await desk.approve(second.id, approver)
    expect((await desk.history('schedule-entry', 'le-hoi-2027')).map((e) => [e.submissionId, e.action, e.reason])).toEqual([
      [first.id, 'submit', null],
      [first.id, 'send-back', 'Sai ngày khai mạc: 15/01, không phải 16/01.'],
      [second.id, 'submit', null],
      [second.id, 'approve', null]
    ])
  })

  it('a publish the server refuses keeps it submitted with the error; fixing it and approving again publishes', async () => {
    const { server, desk } = await setup()
    // A version with a space: the reference server's manifest schema refuses it, for real.
    const bad = await desk.submit({ kind: 'publication', subjectId: 'ban tin', unitId: 'xa-phu-an', summary: 'Bản tin' }, editor)
    const failed = await refusal(desk.approve(bad.id, approver))
    expect(failed).toMatchObject({ status: 409, code: 'publish-failed' })
    const kept = await desk.get(bad.id)
    expect(kept.state).toBe('submitted')
    expect(kept.lastError).toBeTruthy()
    expect(await version(server)).toEqual([expect.objectContaining({ manifestVersion: null })])
    expect((await desk.queue()).map((s) => s.id)).toEqual([bad.id])
    expect((await desk.history('publication', 'ban tin')).map((e) => [e.action, e.reason === kept.lastError])).toEqual([
      ['submit', false],
      ['publish-failed', true]
    ])
  })

  it('a crash while publishing: after the restart the submission waits again, and its history says so', async () => {
    const { db } = await openEditorialDb(await tempDir(), cleanup)
    // A publication that never ends stands for a process killed mid-publish.
    const hung = new ApprovalDesk({ db, publish: () => new Promise<void>(() => {}) })
    const submitted = await hung.submit({ kind: 'publication', subjectId: 'lich-hop', unitId: 'xa-phu-an', summary: 'Lịch họp' }, editor)
    void hung.approve(submitted.id, approver)
    await expect.poll(async () => (await hung.get(submitted.id)).state, { timeout: 20_000 }).toBe('publishing')
    expect(await refusal(hung.sendBack(submitted.id, approver, 'đang xuất bản'))).toMatchObject({ code: 'not-waiting' })

    const restarted = new ApprovalDesk({ db, publish: () => {} })
    expect(await restarted.recoverInterrupted()).toBe(1)
    expect(await restarted.get(submitted.id)).toMatchObject({ state: 'submitted', lastError: 'interrupted while publishing' })
    expect((await restarted.approve(submitted.id, approver)).state).toBe('approved')
    expect((await restarted.history('publication', 'lich-hop')).map((e) => e.action)).toEqual(['submit', 'interrupted', 'approve'])
  })

  it('self-approval: allowed to someone holding duyet (marked in history), refused when the installation requires four eyes', async () => {
    const open = await setup()
    const own = await open.desk.submit({ kind: 'publication', subjectId: 'thong-bao-hop', unitId: 'xa-nho', summary: 'Thông báo họp dân' }, both)
    await open.desk.approve(own.id, both)
    expect((await open.desk.history('publication', 'thong-bao-hop')).at(-1)).toMatchObject({ action: 'approve', actor: 'xa-nho', selfApproved: true })

    const strict = await setup({ fourEyes: true })
    const mine = await strict.desk.submit({ kind: 'publication', subjectId: 'thong-bao-hop', unitId: 'xa-nho', summary: 'Thông báo họp dân' }, both)
    expect(await refusal(strict.desk.approve(mine.id, both))).toMatchObject({ status: 403, code: 'own-submission' })
    expect((await strict.desk.approve(mine.id, approver)).state).toBe('approved')
  })
})
