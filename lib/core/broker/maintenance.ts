/**
 * The broker's known maintenance windows (IBC's daily restart, IB's Sunday re-authentication):
 * a disconnect inside one is expected — nobody is paged, the state says "broker maintenance".
 * Pure: the caller passes the instant; the window's wall-clock time is read in its own time zone.
 */

/** Structurally the config's `broker.maintenanceWindows[]` entry (core does not import config). */
export interface MaintenanceWindowSpec {
  readonly name: string;
  /** Start, `HH:MM` in `timezone`. */
  readonly at: string;
  /** Days the window OPENS on (`MON`…`SUN`, in `timezone`); every day when absent. */
  readonly days?: ReadonlyArray<string> | undefined;
  readonly timezone: string;
  readonly durationMinutes: number;
}

export interface ActiveMaintenance {
  readonly name: string;
  /** When this occurrence of the window ends (an instant). */
  readonly endsAt: string;
}

const WEEKDAY_INDEX: Readonly<Record<string, number>> = { MON: 0, TUE: 1, WED: 2, THU: 3, FRI: 4, SAT: 5, SUN: 6 };
const SHORT_TO_INDEX: Readonly<Record<string, number>> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: Date, timeZone: string): { weekday: number; minuteOfDay: number } {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  return { weekday: SHORT_TO_INDEX[parts['weekday'] ?? ''] ?? 0, minuteOfDay: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

function opensOn(w: MaintenanceWindowSpec, weekday: number): boolean {
  return w.days === undefined || w.days.some((d) => WEEKDAY_INDEX[d] === weekday);
}

/**
 * The window `at` falls in, if any. A window may run past midnight (23:45 + 90 min): it belongs to
 * the day it opens on. Wall-clock arithmetic, so a window that spans a DST change is off by that
 * hour for that one night — acceptable for an alert-suppression window.
 * @example
 * activeMaintenanceWindow([{ name: 'daily-restart', at: '23:45', timezone: 'America/New_York', durationMinutes: 10 }], new Date('2026-11-27T04:50:00Z'))
 * // { name: 'daily-restart', endsAt: '2026-11-27T04:55:00.000Z' }
 */
export function activeMaintenanceWindow(windows: ReadonlyArray<MaintenanceWindowSpec>, at: Date): ActiveMaintenance | undefined {
  for (const w of windows) {
    const [h, m] = w.at.split(':').map(Number);
    const start = (h ?? 0) * 60 + (m ?? 0);
    const { weekday, minuteOfDay } = wallClock(at, w.timezone);
    // Opened today, or opened yesterday and still running past midnight.
    const candidates: Array<{ opened: number; elapsed: number }> = [
      { opened: weekday, elapsed: minuteOfDay - start },
      { opened: (weekday + 6) % 7, elapsed: minuteOfDay + 24 * 60 - start },
    ];
    for (const c of candidates) {
      if (c.elapsed >= 0 && c.elapsed < w.durationMinutes && opensOn(w, c.opened)) {
        const secondsIn = at.getUTCSeconds() + at.getUTCMilliseconds() / 1000;
        const endsAt = new Date(at.getTime() + ((w.durationMinutes - c.elapsed) * 60 - secondsIn) * 1000);
        return { name: w.name, endsAt: endsAt.toISOString() };
      }
    }
  }
  return undefined;
}
