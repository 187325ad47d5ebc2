// Daily proof-of-play counts, as the reference server computes them for the yearly effectiveness report.
import { describe, expect, it } from 'vitest'
import { dailyCounts, dailyCountsCsv } from '../../server/play-stats'

describe('dailyCounts', () => {
  it('counts per local day in the board zone, de-duplicating re-sent records', () => {
    const at = (iso: string): number => Date.parse(iso)
    const records = [
      { id: 'x:1', itemId: 'thong-bao', startedAt: at('2024-03-01T16:59:50Z'), endedAt: at('2024-03-01T17:00:05Z') }, // 23:59:50 local
      { id: 'x:1', itemId: 'thong-bao', startedAt: at('2024-03-01T16:59:50Z'), endedAt: at('2024-03-01T17:00:05Z') }, // re-sent
      { id: 'x:2', itemId: 'thong-bao', startedAt: at('2024-03-01T17:00:00Z'), endedAt: at('2024-03-01T17:00:10Z') }, // 00:00 next day
      { id: 'x:3', itemId: 'phong, "chống" bão', startedAt: at('2024-03-01T03:00:00Z'), endedAt: at('2024-03-01T03:00:30.5Z') },
      { id: 'x:4', itemId: 'thong-bao', startedAt: at('2024-03-01T05:00:00Z'), endedAt: at('2024-03-01T04:59:00Z') } // clock stepped back
    ]
    const rows = dailyCounts(records, 'Asia/Ho_Chi_Minh')
    expect(rows).toEqual([
      { date: '2024-03-01', itemId: 'phong, "chống" bão', plays: 1, seconds: 30.5 },
      { date: '2024-03-01', itemId: 'thong-bao', plays: 2, seconds: 15 },
      { date: '2024-03-02', itemId: 'thong-bao', plays: 1, seconds: 10 }
    ])
    expect(dailyCountsCsv(rows)).toBe(
      'date,itemId,plays,seconds\r\n2024-03-01,"phong, ""chống"" bão",1,30.5\r\n2024-03-01,"thong-bao",2,15\r\n2024-03-02,"thong-bao",1,10\r\n'
    )
  })
})
