// The editorial room's tables (server/editorial/): emergencies sent by officers and their delivery per
// board, and approval (submissions and their history). Times are ISO 8601 UTC text, portable to PostgreSQL.
import type { Generated } from 'kysely'

export interface EditorialTables {
  /** One emergency as an officer sent it (id = the protocol emergency id the boards see). */
  editorial_emergency: {
    id: string
    template_id: string
    title: string
    body: string
    /** The placeholder values the officer filled, JSON object. */
    fields_json: string
    ttl_sec: number
    issued_at: string
    expires_at: string
    sent_by: string
    /** The unit ids the officer named (the HTTP layer resolved them to boards), JSON array. */
    units_json: string
    /** Set when every board was told to clear it. */
    cleared_at: string | null
    cleared_by: string | null
  }
  /** One board an emergency went to: what was sent, and what the board reported back (kept across restarts). */
  editorial_emergency_board: {
    emergency_id: string
    device_id: string
    first_sent_at: string
    last_sent_at: string
    sends: number
    /** When the board first said it holds it (a heartbeat naming it as its emergency: the board's stamp). */
    received_at: string | null
    /** When the board's screen first showed it (the board's own stamp, from its emergency-start ack or heartbeat). */
    shown_at: string | null
    /** When the server learnt it. */
    shown_reported_at: string | null
    clear_sent_at: string | null
    clear_sent_by: string | null
    /** When the board ended it (its emergency-clear ack). */
    cleared_at: string | null
  }
  /** Who did what to an emergency: send, re-send, clear; with the boards each act reached. */
  editorial_emergency_event: {
    id: Generated<number>
    emergency_id: string
    action: string
    actor: string
    at: string
    device_ids_json: string
  }
  /** A thing put up for approval: another room's object, by kind + id. */
  editorial_submission: {
    id: Generated<number>
    subject_kind: string
    subject_id: string
    /** The unit whose officers see it in their queue. */
    unit_id: string
    summary: string
    /** submitted | publishing | approved | sent-back */
    state: string
    submitted_by: string
    submitted_at: string
    decided_by: string | null
    decided_at: string | null
    reason: string | null
    last_error: string | null
  }
  editorial_submission_event: {
    id: Generated<number>
    submission_id: number
    /** submit | approve | send-back | publish-failed | interrupted */
    action: string
    actor: string
    at: string
    reason: string | null
    self_approved: number
  }
}
