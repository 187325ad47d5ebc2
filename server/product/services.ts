// The composition root: builds, for a database, a data dir and the reference server, every room's service
// (library, programme publishing, editorial desks, enrolment) and the console API that serves them. It wires
// and holds no policy: each decision lives in its room.
import type { Db } from '../db/database'
import { consoleApi } from '../access/console'
import type { ConsoleApiHandler } from '../api/console-api'
import { ApiFailure } from '../api/errors'
import type { ApiServices } from '../api/route'
import { ApprovalDesk, type Submission } from '../editorial/approval'
import { playSourceFromServer } from '../editorial/reports'
import type { SubjectResolver } from '../editorial/routes'
import { AttemptLimiter, type AttemptLimits } from '../enrolment/limiter'
import { libraryForDataDir, startLibrary } from '../library/commands'
import type { Library } from '../library/library'
import { contentResolverFor } from '../library/manifest-item'
import { placedBoards } from '../programme/boards'
import { publishProgramme } from '../programme/publish'
import { contentChanged, contentInUse, getEntry, setEntryStatus } from '../programme/store'
import type { ReferenceServer } from '../reference-server'
import { DurableEmergencyDesk } from './emergency-desk'

/** The approval room's kind for a programme schedule entry. */
export const SCHEDULE_ENTRY = 'schedule-entry'

const STATUS_VI: Record<string, string> = { draft: 'bản nháp', returned: 'bị trả lại', submitted: 'chờ duyệt' }

/** A schedule entry that is not (or no longer) submitted, in an officer's words. */
function notSubmitted(name: string, status: string): { vi: string; en: string } {
  if (status === 'approved') return { vi: `Lịch phát “${name}” đã được duyệt; không cần trình duyệt lại.`, en: `Schedule entry “${name}” is already approved; it needs no new approval.` }
  return {
    vi: `Lịch phát “${name}” chưa được gửi duyệt (đang là ${STATUS_VI[status] ?? status}): hãy bấm “Gửi duyệt” ở trang Lịch phát trước.`,
    en: `Schedule entry “${name}” has not been submitted (it is ${status}): submit it from the Schedule page first.`
  }
}

/**
 * The server needs the console API at start, and the API's services need the server: the services reach it
 * through this holder, set once the server is up (before any request can arrive that would use it).
 */
export class ServerHolder {
  private current: ReferenceServer | null = null

  set(server: ReferenceServer): void {
    this.current = server
  }

  get server(): ReferenceServer {
    // Only in the instant between the server listening and set(): a request then is asked to retry.
    if (!this.current) throw new ApiFailure(503, 'starting', 'Máy chủ đang khởi động; hãy thử lại sau giây lát.', 'The server is starting; try again in a moment.')
    return this.current
  }
}

export interface ProductServices {
  library: Library
  services: Partial<ApiServices>
  consoleApi: ConsoleApiHandler
  /** Run once before taking requests: the library's sweep and the approval desk's recovery; lines for the log. */
  start(): Promise<string[]>
}

export interface ProductServiceOptions {
  db: Db
  dataDir: string
  holder: ServerHolder
  ffprobe?: string
  /** Bytes an upload must leave free (default: the library's, 1 GiB or 5 % of the disk). */
  storageReserveBytes?: number
  /** Pairing approvals per user per window (default DEFAULT_ATTEMPT_LIMITS). */
  pairingApprovals?: AttemptLimits
  onError?: (error: unknown, route: string) => void
}

export function productServices(options: ProductServiceOptions): ProductServices {
  const { db, holder } = options
  const library = libraryForDataDir(db, options.dataDir, { contentInUse, contentChanged: (contentId, trx) => contentChanged(contentId, trx), ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}), ...(options.storageReserveBytes !== undefined ? { storageReserveBytes: options.storageReserveBytes } : {}) })
  const content = contentResolverFor(library)

  /** The approved programme, compiled for every placed board and handed to the server (committed before it returns). */
  const republish = async (publishedBy: string | null, beforeCompile?: (trx: Db) => Promise<void>): Promise<void> => {
    await publishProgramme(db, { target: holder.server, boards: await placedBoards(db), content, publishedBy, ...(beforeCompile ? { beforeCompile } : {}) })
    await holder.server.durable()
  }

  const publish = async (submission: Submission, approver: { userId: string }): Promise<void> => {
    if (submission.kind !== SCHEDULE_ENTRY) throw new Error(`nothing publishes a "${submission.kind}"`)
    await republish(approver.userId,
      // In the publication's transaction: an approval whose programme does not compile is undone with it.
      async (trx) => {
        // Already approved: a publication that committed before a crash, whose submission was then put back
        // to waiting at start (recoverInterrupted); approving it again republishes.
        if (!(await setEntryStatus(trx, submission.subjectId, ['submitted', 'approved'], 'approved'))) {
          const entry = await getEntry(trx, submission.subjectId)
          const words = notSubmitted(entry?.name ?? submission.summary, entry?.status ?? 'draft')
          throw new ApiFailure(409, 'not-submitted', words.vi, words.en, 'subjectId')
        }
      }
    )
  }

  const subjects: SubjectResolver = {
    async unitOf(kind, subjectId) {
      return kind === SCHEDULE_ENTRY ? ((await getEntry(db, subjectId))?.unitId ?? null) : null
    },
    async summaryOf(kind, subjectId) {
      return (await getEntry(db, subjectId))?.name ?? `${kind} ${subjectId}`
    },
    // Only a submitted entry is filed: submit is where an entry's checks (targets, items) are made.
    async notReady(kind, subjectId) {
      const entry = kind === SCHEDULE_ENTRY ? await getEntry(db, subjectId) : null
      if (!entry || entry.status === 'submitted') return null
      return { code: 'not-submitted', ...notSubmitted(entry.name, entry.status) }
    }
  }

  const approval = new ApprovalDesk({
    db,
    publish,
    // Sent back: the entry is the editor's again to change and submit.
    async sentBack(submission, trx) {
      if (submission.kind === SCHEDULE_ENTRY) await setEntryStatus(trx, submission.subjectId, ['submitted'], 'returned')
    }
  })
  const server = {
    emergency: (...args: Parameters<ReferenceServer['emergency']>) => holder.server.emergency(...args),
    clearEmergency: (...args: Parameters<ReferenceServer['clearEmergency']>) => holder.server.clearEmergency(...args),
    get acks() {
      return holder.server.acks
    },
    latestHeartbeat: (deviceId: string) => holder.server.latestHeartbeat(deviceId),
    playRecords: (deviceId?: string) => holder.server.playRecords(deviceId),
    uptimeDays: (deviceId: string) => holder.server.uptimeDays(deviceId),
    pendingPairings: () => holder.server.pendingPairings(),
    approvePairing: (...args: Parameters<ReferenceServer['approvePairing']>) => holder.server.approvePairing(...args),
    durable: () => holder.server.durable(),
    deviceSummaries: () => holder.server.deviceSummaries(),
    get problems() {
      return holder.server.problems
    }
  }
  const services: Partial<ApiServices> = {
    library,
    editorial: {
      emergencies: new DurableEmergencyDesk({ db, sender: server, source: server }, () => holder.server.durable()),
      approval,
      plays: playSourceFromServer(server),
      uptime: server,
      subjects
    },
    enrolment: {
      pairing: server,
      limiter: new AttemptLimiter(options.pairingApprovals),
      // A board placed in a unit gets that unit's approved programme now; should that fail, the next approval brings it.
      afterPlaced: async (deviceId) => {
        await republish(null).catch((error: unknown) => options.onError?.(error, `republish after placing ${deviceId}`))
      }
    },
    store: { fleet: server },
    boardCommands: {
      command: (...args: Parameters<ReferenceServer['command']>) => holder.server.command(...args),
      get acks() {
        return holder.server.acks
      },
      get uploads() {
        return holder.server.uploads
      }
    }
  }
  return {
    library,
    services,
    consoleApi: consoleApi(db, { services, ...(options.onError ? { onError: options.onError } : {}) }),
    async start() {
      const { lines } = await startLibrary(library)
      const recovered = await approval.recoverInterrupted()
      if (recovered > 0) lines.push(`approval: ${recovered} submission(s) interrupted while publishing are waiting again`)
      return lines
    }
  }
}
