/**
 * Time is injected: the core never reads the system clock.
 * @example
 * const clock: Clock = { now: () => new Date('2026-11-26T14:30:00Z') };
 */
export interface Clock {
  now(): Date;
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  private t: number;
  constructor(start: Date | string | number = '2026-11-26T14:30:00.000Z') {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(at: Date | string | number): void {
    this.t = new Date(at).getTime();
  }
}
