// What boards reported about an emergency, read from what the server keeps: acks say "shown" and "ended";
// a heartbeat naming it says the board holds it (received), whether or not its screen has shown it yet.
import { Ack } from '../../main/core/protocol/api'

/** What the reference server (or its durable store) offers: `server.acks` and `latestHeartbeat`. */
export interface DeliverySource {
  readonly acks: readonly { deviceId: string; receivedAt: number; valid: boolean; ack: unknown }[]
  latestHeartbeat(deviceId: string): { sentAt: string; emergency: { id: string } | null } | null
}

export interface BoardReport {
  /** The board's stamp of a heartbeat naming it (the earliest one seen is what gets stored). */
  receivedAt?: string
  /** The board's stamp of when its screen first showed it. */
  shownAt?: string
  /** When the server received that report (ms). */
  shownReportedAt?: number
  /** The board's stamp of when it ended it. */
  clearedAt?: string
}

/** Per board, the earliest shown and cleared reports about one emergency. */
export function boardReports(source: DeliverySource, emergencyId: string, deviceIds: ReadonlySet<string>): Map<string, BoardReport> {
  const reports = new Map<string, BoardReport>()
  const entry = (deviceId: string) => {
    let report = reports.get(deviceId)
    if (!report) reports.set(deviceId, (report = {}))
    return report
  }
  for (const record of source.acks) {
    if (!record.valid || !deviceIds.has(record.deviceId)) continue
    // Cheap test first: a server holds up to 10 000 acks per board, most about other things.
    if ((record.ack as { id?: unknown } | null)?.id !== emergencyId) continue
    const parsed = Ack.safeParse(record.ack)
    if (!parsed.success || parsed.data.id !== emergencyId) continue
    const report = entry(record.deviceId)
    if (parsed.data.kind === 'emergency-start' && (report.shownAt === undefined || parsed.data.at < report.shownAt)) {
      report.shownAt = parsed.data.at
      report.shownReportedAt = record.receivedAt
    } else if (parsed.data.kind === 'emergency-clear' && (report.clearedAt === undefined || parsed.data.at < report.clearedAt)) {
      report.clearedAt = parsed.data.at
    }
  }
  for (const deviceId of deviceIds) {
    const heartbeat = source.latestHeartbeat(deviceId)
    if (heartbeat?.emergency?.id === emergencyId) entry(deviceId).receivedAt = new Date(Date.parse(heartbeat.sentAt)).toISOString()
  }
  return reports
}
