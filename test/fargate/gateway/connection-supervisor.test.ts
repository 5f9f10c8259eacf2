import { describe, expect, it } from 'vitest';
import type { BrokerLink, ConnectionState } from '../../../fargate/gateway/connection-supervisor.js';
import { ConnectionSupervisor } from '../../../fargate/gateway/connection-supervisor.js';
import { GatewayError } from '../../../fargate/gateway/errors.js';
import type { LoginInfo, RawClientEvents } from '../../../fargate/gateway/raw-client.js';
import { ManualScheduler } from '../../../fargate/gateway/scheduler.js';
import { MemoryLogger } from '../../support/doubles.js';

/** A hand-written link: the test decides how each connect ends and when the peer answers. */
class FakeLink implements BrokerLink {
  private readonly handlers: { [K in keyof RawClientEvents]?: Array<RawClientEvents[K]> } = {};
  connects: Array<{ resolve: (i: LoginInfo) => void; reject: (e: unknown) => void }> = [];
  probesSent = 0;
  closes: string[] = [];
  open = false;
  on<K extends keyof RawClientEvents>(event: K, listener: RawClientEvents[K]): void {
    ((this.handlers[event] ??= []) as Array<RawClientEvents[K]>).push(listener);
  }
  emit<K extends keyof RawClientEvents>(event: K, payload: Parameters<RawClientEvents[K]>[0]): void {
    for (const h of this.handlers[event] ?? []) (h as (p: unknown) => void)(payload);
  }
  connect(): Promise<LoginInfo> {
    return new Promise((resolve, reject) => this.connects.push({ resolve, reject }));
  }
  login(): void {
    this.open = true;
    this.connects.at(-1)?.resolve({ sessionId: this.connects.length, serverVersion: 193, serverTime: 'x', nextValidId: 1000, accounts: ['DU1'] });
  }
  refuse(code?: number): void {
    this.connects.at(-1)?.reject(new GatewayError('GATEWAY.CONNECT_FAILED', 'refused', code === undefined ? undefined : { details: { code } }));
  }
  close(reason: string): void {
    this.closes.push(reason);
    if (this.open) {
      this.open = false;
      this.emit('disconnected', { sessionId: this.connects.length, reason });
    }
  }
  async reqCurrentTime(): Promise<void> {
    if (!this.open) throw new GatewayError('GATEWAY.NOT_CONNECTED', 'closed');
    this.probesSent += 1;
  }
  answer(): void {
    this.emit('currentTime', { epochSeconds: 1 });
  }
  drop(): void {
    this.open = false;
    this.emit('disconnected', { sessionId: this.connects.length, reason: 'socket closed' });
  }
}

function setup(random = () => 0.5) {
  const scheduler = new ManualScheduler();
  const link = new FakeLink();
  const states: Array<{ to: ConnectionState; reason: string }> = [];
  const resubscribes: string[] = [];
  const logins: LoginInfo[] = [];
  const sup = new ConnectionSupervisor(link, { watchdogIntervalMs: 1_000, watchdogTimeoutMs: 500, reconnect: { initialDelayMs: 200, maxDelayMs: 5_000, clientIdInUseDelayMs: 20_000 }, degradedTimeoutMs: 60_000 }, scheduler, random, new MemoryLogger(), {
    stateChanged: (e) => states.push({ to: e.to, reason: e.reason }),
    resubscribe: (r) => resubscribes.push(r),
    loggedIn: (i) => logins.push(i),
  });
  return { scheduler, link, sup, states, resubscribes, logins };
}

describe('ConnectionSupervisor', () => {
  it('goes disconnected → connecting → connected on login', async () => {
    const { scheduler, link, sup, states, logins } = setup();
    sup.start();
    await scheduler.advance(0);
    expect(sup.status().state).toBe('connecting');
    link.login();
    await scheduler.advance(0);
    expect(states.map((s) => s.to)).toEqual(['connecting', 'connected']);
    expect(sup.canTrade).toBe(true);
    expect(logins).toHaveLength(1);
  });

  it('retries a refused connect with growing, capped, jittered delays', async () => {
    const { scheduler, link, sup } = setup(() => 1);
    sup.start();
    await scheduler.advance(0);
    const attemptTimes: number[] = [scheduler.now()];
    for (let i = 0; i < 8; i++) {
      link.refuse();
      const before = link.connects.length;
      while (link.connects.length === before) await scheduler.advance(10);
      attemptTimes.push(scheduler.now());
    }
    const gaps = attemptTimes.slice(1).map((t, i) => t - (attemptTimes[i] ?? 0));
    expect(gaps).toEqual([200, 400, 800, 1600, 3200, 5000, 5000, 5000]);
  });

  it('waits at least the 326 delay after client id in use (no 326 loop)', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.refuse(326);
    await scheduler.advance(19_000);
    expect(link.connects).toHaveLength(1);
    await scheduler.advance(1_500);
    expect(link.connects).toHaveLength(2);
  });

  it('reconnects after the socket drops and logs in again', async () => {
    const { scheduler, link, sup, logins } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.drop();
    expect(sup.status().state).toBe('disconnected');
    expect(sup.canTrade).toBe(false);
    await scheduler.advance(300);
    expect(link.connects).toHaveLength(2);
    link.login();
    await scheduler.advance(0);
    expect(sup.status().state).toBe('connected');
    expect(logins).toHaveLength(2);
  });

  it('measures the round trip with its watchdog probe', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(1_000);
    expect(link.probesSent).toBe(1);
    await scheduler.advance(30);
    link.answer();
    await scheduler.advance(0);
    expect(sup.status().lastRoundTripMs).toBe(30);
  });

  it('force-closes a frozen peer when a probe goes unanswered, then reconnects', async () => {
    const { scheduler, link, sup, states } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(1_000 + 499);
    expect(sup.status().state).toBe('connected');
    await scheduler.advance(1);
    expect(link.closes).toEqual(['watchdog timeout']);
    expect(states.at(-1)).toEqual({ to: 'disconnected', reason: 'watchdog timeout' });
    await scheduler.advance(300);
    expect(link.connects).toHaveLength(2);
  });

  it('marks 1100 degraded and holds orders, 1102 restores without resubscribing', async () => {
    const { scheduler, link, sup, resubscribes } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.emit('info', { code: 1100, message: 'Connectivity between IB and TWS has been lost' });
    expect(sup.status().state).toBe('degraded');
    expect(sup.canTrade).toBe(false);
    expect(link.closes).toEqual([]);
    link.emit('info', { code: 1102, message: 'restored, data maintained' });
    expect(sup.status().state).toBe('connected');
    expect(resubscribes).toEqual([]);
  });

  it('asks for resubscription on 1101', async () => {
    const { scheduler, link, sup, resubscribes } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.emit('info', { code: 1100, message: 'lost' });
    link.emit('info', { code: 1101, message: 'restored, data lost' });
    expect(sup.status().state).toBe('connected');
    expect(resubscribes).toEqual(['IB 1101']);
  });

  it('reconnects when degraded lasts too long', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.emit('info', { code: 2110, message: 'broken' });
    for (let t = 0; t < 61_000; t += 1_000) {
      await scheduler.advance(1_000);
      link.answer();
    }
    expect(link.closes).toContain('degraded for 60000 ms');
  });

  it('closes and reconnects on 1300', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.emit('info', { code: 1300, message: 'socket port reset' });
    expect(sup.status().state).toBe('disconnected');
    await scheduler.advance(300);
    expect(link.connects).toHaveLength(2);
  });

  it('tracks farm status', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    link.emit('info', { code: 2103, message: 'usfarm broken' });
    expect(sup.status().farms.marketData).toBe('down');
    expect(sup.canTrade).toBe(true);
    link.emit('info', { code: 2104, message: 'usfarm ok' });
    expect(sup.status().farms.marketData).toBe('ok');
  });

  it('stops reconnecting after stop', async () => {
    const { scheduler, link, sup } = setup();
    sup.start();
    await scheduler.advance(0);
    link.login();
    await scheduler.advance(0);
    await sup.stop();
    await scheduler.advance(60_000);
    expect(link.connects).toHaveLength(1);
    expect(sup.status().state).toBe('stopped');
    expect(scheduler.pending()).toBe(0);
  });
});
