// What devices send back, held in memory within bounds per device (count and bytes) and overall, so no
// board, buggy or hostile, can grow the reference server's memory without limit or push out others' records.

export interface Bound {
  count: number
  bytes: number
}

/** Per device. Bytes are what arrived on the wire (the stored objects take a small multiple of that). */
export interface StorageLimits {
  /** Reports as received (GET /admin/reports), after the schema accepted them. */
  reports: Bound
  /** Proof-of-play records, deduplicated by id. */
  plays: Bound
  /** Screenshots and log bundles. */
  uploads: Bound
  /** Push acks, and problems (each its own bound). */
  acks: Bound
  problems: Bound
  /** Uptime days (one per local date). */
  uptimeDays: number
}

const MiB = 1024 * 1024

export const DEFAULT_STORAGE_LIMITS: StorageLimits = {
  reports: { count: 200, bytes: 4 * MiB },
  plays: { count: 50_000, bytes: 16 * MiB },
  uploads: { count: 50, bytes: 64 * MiB },
  acks: { count: 1_000, bytes: MiB },
  problems: { count: 1_000, bytes: MiB },
  uptimeDays: 400
}

/** Over all devices, oldest first out, whatever the per-device bounds (a fleet of many devices). */
export const TOTAL_BOUNDS = {
  records: { count: 10_000, bytes: 256 * MiB },
  uploads: { count: 500, bytes: 256 * MiB }
} as const

interface Usage {
  count: number
  bytes: number
}

function over(usage: Usage, bound: Bound): boolean {
  return usage.count > bound.count || usage.bytes > bound.bytes
}

/** Records newest last, in one array that tests and the admin API read as it is. */
export class DeviceLog<T extends { deviceId: string; bytes: number }> {
  readonly items: T[] = []
  private readonly usage = new Map<string, Usage>()
  private readonly total: Usage = { count: 0, bytes: 0 }

  constructor(
    private readonly perDevice: Bound,
    private readonly overall: Bound = TOTAL_BOUNDS.records
  ) {}

  add(item: T): void {
    this.items.push(item)
    const usage = this.usage.get(item.deviceId) ?? { count: 0, bytes: 0 }
    this.usage.set(item.deviceId, usage)
    this.account(item, 1)
    // The device over its bound loses its own oldest records, never another device's.
    while (over(usage, this.perDevice)) this.removeAt(this.items.findIndex((old) => old.deviceId === item.deviceId))
    while (over(this.total, this.overall)) this.removeAt(0)
  }

  private removeAt(index: number): void {
    const [removed] = this.items.splice(index, 1)
    if (removed) this.account(removed, -1)
  }

  private account(item: T, sign: 1 | -1): void {
    const usage = this.usage.get(item.deviceId)
    if (usage) {
      usage.count += sign
      usage.bytes += sign * item.bytes
      if (usage.count === 0) this.usage.delete(item.deviceId)
    }
    this.total.count += sign
    this.total.bytes += sign * item.bytes
  }
}

/** Keyed records per device, oldest first out when the device passes its bound; a key seen again keeps its first record. */
export class DeviceMap<V extends { bytes: number }> {
  private readonly devices = new Map<string, { entries: Map<string, V>; usage: Usage }>()

  constructor(private readonly perDevice: Bound) {}

  /** False when the key was already there (a re-send): nothing changes. */
  add(deviceId: string, key: string, value: V): boolean {
    let device = this.devices.get(deviceId)
    if (!device) this.devices.set(deviceId, (device = { entries: new Map(), usage: { count: 0, bytes: 0 } }))
    if (device.entries.has(key)) return false
    device.entries.set(key, value)
    device.usage.count++
    device.usage.bytes += value.bytes
    for (const [oldKey, old] of device.entries) {
      if (!over(device.usage, this.perDevice)) break
      device.entries.delete(oldKey)
      device.usage.count--
      device.usage.bytes -= old.bytes
    }
    return true
  }

  values(deviceId?: string): V[] {
    if (deviceId !== undefined) return [...(this.devices.get(deviceId)?.entries.values() ?? [])]
    return [...this.devices.values()].flatMap((device) => [...device.entries.values()])
  }

  usage(deviceId: string): Usage {
    return { ...(this.devices.get(deviceId)?.usage ?? { count: 0, bytes: 0 }) }
  }
}
