// The device side's tables (server/store/, migrations 0100–0199): devices and their hashed tokens, what is
// published to them, emergencies, commands, what boards sent back, uploads and pairing requests.
// JSON columns hold protocol documents as text (they are read back whole, never queried inside).

export interface DeviceTables {
  devices: { device_id: string; token_hash: string; added_at: number; last_seen: number | null; dropped_plays: number }
  /** target: a device id, or '*' for the fleet publication. */
  device_publications: { target: string; version: string; document: string; published_at: number }
  /** Files the publications reference: content-addressed, under DATA/media/ab/abcdef…. */
  device_assets: { sha256: string; path: string; size: number }
  /** seq: insertion order (an emergency sent again moves to the newest end, as in memory). targets: JSON array, null = all. */
  device_emergencies: { id: string; seq: number; emergency: string; targets: string | null; cleared_for: string; cleared_for_all: number; expires_at: number }
  /** result: the board's command ack (JSON) once it came back. */
  device_commands: { id: string; kind: string; command: string; targets: string | null; issued_at: number; result: string | null; result_at: number | null }
  /** acks, problems and the report log, bounded per device as in memory. kind: 'ack' | 'problem' | 'report'. */
  device_log: { id: number | null; kind: string; device_id: string; received_at: number; body: string; bytes: number; valid: number; error: string | null }
  device_heartbeats: { id: number | null; device_id: string; received_at: number; heartbeat: string }
  device_uptime: { device_id: string; date: string; seq: number; day: string }
  /** Proof of play: every record ever accepted, once (deduplicated by id); never bounded away. */
  device_plays: { device_id: string; play_id: string; started_at: number; play: string; received_at: number }
  device_uploads: { device_id: string; upload_id: string; seq: number; meta: string; path: string; size: number; received_at: number }
  /**
   * Pairing requests. The pairing id (the board's secret) is stored hashed, and so is the token the board
   * will get (derived from that id: server/pairing.ts), so the database alone never yields a token.
   * approved: { deviceId, boardName } as JSON once an operator approved the code.
   */
  device_pairings: { pairing_hash: string; token_hash: string; code: string; expires_at: number; address: string; approved: string | null }
  /** The store's own settings (the admin token). */
  device_settings: { key: string; value: string }
  /** Sealed manifests (sign once): reused verbatim until what they contain changes or their validity needs renewing. */
  device_sealed: { device_id: string; protocol: number; content_key: string; sealed_at: number; etag: string; body: string }
}
