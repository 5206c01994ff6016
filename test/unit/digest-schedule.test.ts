import { describe, expect, it } from 'vitest';
import { isOwed, latestDailyRun, latestMonthlyRun, localDate, occurrence, parseLocalTime } from '../../src/domain/digest-schedule.js';

describe('wall-clock times across daylight saving', () => {
  it.each([
    // zone, date, time, expected instant
    ['America/New_York', '2026-03-07', '07:30', '2026-03-07T12:30:00.000Z'],
    ['America/New_York', '2026-03-08', '07:30', '2026-03-08T11:30:00.000Z'],
    ['America/New_York', '2026-03-08', '02:30', '2026-03-08T07:30:00.000Z'], // does not exist: 03:30 EDT
    ['America/New_York', '2026-11-01', '01:30', '2026-11-01T05:30:00.000Z'], // twice: the first (EDT)
    ['America/New_York', '2026-11-01', '07:30', '2026-11-01T12:30:00.000Z'],
    ['Europe/London', '2026-03-29', '01:30', '2026-03-29T01:30:00.000Z'], // does not exist: 02:30 BST
    ['Europe/London', '2026-03-29', '08:00', '2026-03-29T07:00:00.000Z'],
    ['Europe/London', '2026-10-25', '01:30', '2026-10-25T00:30:00.000Z'], // twice: the first (BST)
    ['Europe/London', '2026-10-25', '08:00', '2026-10-25T08:00:00.000Z'],
    ['Australia/Sydney', '2026-04-05', '02:30', '2026-04-04T15:30:00.000Z'], // twice: the first (AEDT)
    ['Australia/Sydney', '2026-10-04', '02:30', '2026-10-03T16:30:00.000Z'], // does not exist: 03:30 AEDT
    ['Australia/Sydney', '2026-10-04', '09:00', '2026-10-03T22:00:00.000Z'],
    ['Asia/Kolkata', '2026-06-01', '09:00', '2026-06-01T03:30:00.000Z'],
  ])('%s %s %s → %s', (zone, date, time, expected) => {
    expect(occurrence(date, time, zone).toISOString()).toBe(expected);
  });

  it.each(['7:30', '07:30', '0730', ' 23:59 '])('reads %j as a time', (t) => expect(parseLocalTime(t)).toMatch(/^\d\d:\d\d$/));
  it.each(['24:00', '7:60', 'seven', '', '7'])('refuses %j', (t) => expect(parseLocalTime(t)).toBeUndefined());
});

/** Ticks a clock minute by minute, posting each run the first time it is due, as the scheduler does. */
function simulate(zone: string, localTime: string, fromIso: string, days: number) {
  const posted = new Map<string, string>();
  const start = Date.parse(fromIso);
  for (let t = start; t < start + days * 86_400_000; t += 60_000) {
    const now = new Date(t);
    const run = latestDailyRun(now, { localTime, timeZone: zone });
    if (!posted.has(run.period) && isOwed(run, new Date(start), now)) posted.set(run.period, now.toISOString());
  }
  return posted;
}

describe('the daily schedule on the change days: every local day exactly once', () => {
  it.each([
    ['America/New_York', '07:30', '2026-03-06T00:00:00Z'],
    ['America/New_York', '02:30', '2026-03-06T00:00:00Z'],
    ['America/New_York', '01:30', '2026-10-30T00:00:00Z'],
    ['Europe/London', '01:30', '2026-03-27T00:00:00Z'],
    ['Europe/London', '01:30', '2026-10-23T00:00:00Z'],
    ['Europe/London', '08:00', '2026-10-23T00:00:00Z'],
    ['Australia/Sydney', '02:30', '2026-04-03T00:00:00Z'],
    ['Australia/Sydney', '02:30', '2026-10-02T00:00:00Z'],
    ['Australia/Sydney', '09:00', '2026-10-02T00:00:00Z'],
  ])('%s at %s from %s', (zone, time, from) => {
    const posted = simulate(zone, time, from, 4);
    const dates = [...posted.keys()];
    expect(new Set(dates).size).toBe(dates.length);
    for (let i = 1; i < dates.length; i++) expect(Date.parse(dates[i]!) - Date.parse(dates[i - 1]!)).toBe(86_400_000);
    expect(dates.length).toBeGreaterThanOrEqual(3);
    for (const [date, at] of posted) {
      expect(at).toBe(occurrence(date, time, zone).toISOString());
      expect(localDate(new Date(at), zone)).toBe(date);
    }
  });
});

describe('which run is due', () => {
  const t = { localTime: '07:00', timeZone: 'Europe/Berlin' };
  it('is today once the time has come, else yesterday', () => {
    expect(latestDailyRun(new Date('2026-06-10T04:59:00Z'), t)).toEqual({ period: '2026-06-09', at: new Date('2026-06-09T05:00:00Z') });
    expect(latestDailyRun(new Date('2026-06-10T05:00:00Z'), t)).toEqual({ period: '2026-06-10', at: new Date('2026-06-10T05:00:00Z') });
  });
  it('posts the monthly digest on the 1st for the month before, across the year end', () => {
    expect(latestMonthlyRun(new Date('2027-01-01T06:00:00Z'), t)).toEqual({ period: '2026-12', at: new Date('2027-01-01T06:00:00Z') });
    expect(latestMonthlyRun(new Date('2027-01-01T05:59:00Z'), t)).toEqual({ period: '2026-11', at: new Date('2026-12-01T06:00:00Z') });
  });
  it('owes nothing for times before the subscription, or long past', () => {
    const run = { period: '2026-06-10', at: new Date('2026-06-10T05:00:00Z') };
    expect(isOwed(run, new Date('2026-06-10T06:00:00Z'), new Date('2026-06-10T06:01:00Z'))).toBe(false);
    expect(isOwed(run, new Date('2026-06-01T00:00:00Z'), new Date('2026-06-11T05:00:00Z'))).toBe(true);
    expect(isOwed(run, new Date('2026-06-01T00:00:00Z'), new Date('2026-06-12T05:00:00Z'))).toBe(false);
  });
});
