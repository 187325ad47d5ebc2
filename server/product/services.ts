// The composition root: builds, for a database, a data dir and the reference server, every room's service
// (library, programme publishing, editorial desks, enrolment) and the console API that serves them. It wires
// and holds no policy: each decision lives in its room.
import type { Db } from '../db/database'
import { consoleApi } from '../access/console'
import type { ConsoleApiHandler } from '../api/console-api'
import type { ApiServices } from '../api/route'
import { ApprovalDesk, type Submission } from '../editorial/approval'
import { EmergencyDesk } from '../editorial/emergencies'
import { playSourceFromServer } from '../editorial/reports'
import type { SubjectResolver } from '../editorial/routes'
import { AttemptLimiter } from '../enrolment/limiter'
import { libraryForDataDir, startLibrary } from '../library/commands'
import type { Library } from '../library/library'
import { contentResolverFor } from '../library/manifest-item'
import { placedBoards } from '../programme/boards'
import { publishProgramme } from '../programme/publish'
import { contentInUse, getEntry, setEntryStatus } from '../programme/store'
import type { ReferenceServer } from '../reference-server'

/** The approval room's kind for a programme schedule entry. */
export const SCHEDULE_ENTRY = 'schedule-entry'

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
    if (!this.current) throw new Error('the reference server is not started yet')
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

export function productServices(options: { db: Db; dataDir: string; holder: ServerHolder; ffprobe?: string; onError?: (error: unknown, route: string) => void }): ProductServices {
  const { db, holder } = options
  const library = libraryForDataDir(db, options.dataDir, { contentInUse, ...(options.ffprobe ? { ffprobe: options.ffprobe } : {}) })
  const content = contentResolverFor(library)

  const publish = async (submission: Submission, approver: { userId: string }): Promise<void> => {
    if (submission.kind !== SCHEDULE_ENTRY) throw new Error(`nothing publishes a "${submission.kind}"`)
    await publishProgramme(db, {
      target: holder.server,
      boards: await placedBoards(db),
      content,
      publishedBy: approver.userId,
      // In the publication's transaction: an approval whose programme does not compile is undone with it.
      async beforeCompile(trx) {
        if (!(await setEntryStatus(trx, submission.subjectId, ['submitted'], 'approved'))) {
          throw new Error(`schedule entry ${submission.subjectId} is not waiting for approval (submit it first)`)
        }
      }
    })
    // The boards' documents are committed before the approval is answered.
    await holder.server.durable()
  }

  const subjects: SubjectResolver = {
    async unitOf(kind, subjectId) {
      return kind === SCHEDULE_ENTRY ? ((await getEntry(db, subjectId))?.unitId ?? null) : null
    },
    async summaryOf(kind, subjectId) {
      return (await getEntry(db, subjectId))?.name ?? `${kind} ${subjectId}`
    }
  }

  const approval = new ApprovalDesk({ db, publish })
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
    deviceSummaries: () => holder.server.deviceSummaries()
  }
  const services: Partial<ApiServices> = {
    library,
    editorial: {
      emergencies: new EmergencyDesk({ db, sender: server, source: server }),
      approval,
      plays: playSourceFromServer(server),
      uptime: server,
      subjects
    },
    enrolment: { pairing: server, limiter: new AttemptLimiter() },
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
