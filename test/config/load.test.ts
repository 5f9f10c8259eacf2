import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { ValidationError } from '../../lib/core/shared/errors.js';
import { ConfigError, DEFAULT_CONFIG_DIR, ENV_NAMES, listConfigEnvs, loadConfig, parseConfigText, runValidateConfig } from '../../lib/config/index.js';

const shipped = (env: string): string => readFileSync(join(DEFAULT_CONFIG_DIR, `${env}.yaml`), 'utf8');

/** Copies a shipped config, applies `edit` to its YAML document and writes it into a temp dir. */
function variant(env: string, edit: (doc: ReturnType<typeof parseDocument>) => void, fileEnv = env): string {
  const dir = mkdtempSync(join(tmpdir(), 'tradeops-config-'));
  const doc = parseDocument(shipped(env));
  edit(doc);
  writeFileSync(join(dir, `${fileEnv}.yaml`), doc.toString());
  return dir;
}

function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it.each(ENV_NAMES)('validates the shipped %s config', (env) => {
    const config = loadConfig(env);

    expect(config.env).toBe(env);
    expect(config.account.mode).toBe('paper');
    expect(config.universe.length).toBeGreaterThan(0);
  });

  it('ships a config for every environment and nothing else', () => {
    expect(listConfigEnvs()).toEqual([...ENV_NAMES]);
  });

  it('applies the safe defaults and resolves the port from the account mode', () => {
    const dir = variant('prod', (doc) => {
      doc.deleteIn(['broker', 'readOnlyApi']);
      doc.deleteIn(['broker', 'maxMessagesPerSecond']);
    });

    const config = loadConfig('prod', { dir });

    expect(config.broker.readOnlyApi).toBe(true);
    expect(config.broker.maxMessagesPerSecond).toBe(40);
    expect(config.broker.port).toBe(4002);
    expect(config.retention).toEqual({ appLogsDays: 30, errorLogsDays: 90, perfLogsDays: 7, auditYears: 7, positionsBackupDays: 30, configBackupDays: 90 });
  });

  it('carries the runbook alerts and key-metric thresholds', () => {
    const { alerts } = loadConfig('local');

    expect(alerts.var_critical).toMatchObject({ metric: 'portfolio_var_utilization', threshold: 0.9, severity: 'CRITICAL', notify: ['oncall', 'risk_manager'], action: 'reduce_positions' });
    expect(alerts.broker_disconnect).toMatchObject({ threshold: false, comparison: 'equals', action: 'halt_trading' });
    expect(alerts.fill_rate_critical).toMatchObject({ threshold: 0.9, comparison: 'below' });
    expect(alerts.slippage_critical).toMatchObject({ threshold: 10, comparison: 'above' });
  });

  it('names the file and the field of a bad value', () => {
    const dir = variant('prod', (doc) => doc.setIn(['limits', 'maxLeverage'], 2));

    const error = configErrorOf(() => loadConfig('prod', { dir }));

    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('CONFIG.INVALID');
    expect(error.message).toMatch(/prod\.yaml: limits\.maxLeverage: .*string/);
    expect(error.message).toMatch(/\(line \d+\)/);
    expect(error.issues.map((i) => i.path)).toEqual(['limits.maxLeverage']);
  });

  it('names nested array fields with their index', () => {
    const dir = variant('local', (doc) => doc.setIn(['universe', 1, 'simInitialPrice'], '-3'));

    const error = configErrorOf(() => loadConfig('local', { dir }));

    expect(error.message).toMatch(/local\.yaml: universe\[1\]\.simInitialPrice: /);
  });

  it('refuses an unknown key and names it', () => {
    const dir = variant('paper', (doc) => doc.setIn(['limits', 'maxLeverge'], '3'));

    const error = configErrorOf(() => loadConfig('paper', { dir }));

    expect(error.message).toMatch(/paper\.yaml: limits\.maxLeverge: unknown key/);
  });

  it('refuses live trading in local', () => {
    const dir = variant('local', (doc) => doc.setIn(['account', 'mode'], 'live'));

    const error = configErrorOf(() => loadConfig('local', { dir }));

    expect(error.issues.map((i) => i.path)).toContain('account.mode');
    expect(error.message).toMatch(/live trading is allowed only in prod/);
  });

  it('refuses live in prod without the explicit confirmation, and accepts it with', () => {
    const unconfirmed = variant('prod', (doc) => doc.setIn(['account', 'mode'], 'live'));
    const confirmed = variant('prod', (doc) => {
      doc.setIn(['account', 'mode'], 'live');
      doc.setIn(['account', 'liveTradingConfirmed'], true);
    });

    expect(configErrorOf(() => loadConfig('prod', { dir: unconfirmed })).issues.map((i) => i.path)).toEqual(['account.liveTradingConfirmed']);
    const live = loadConfig('prod', { dir: confirmed });
    expect(live.account.mode).toBe('live');
    expect(live.broker.port).toBe(4001);
  });

  it('refuses a DR region equal to the primary region', () => {
    const dir = variant('paper', (doc) => doc.setIn(['aws', 'drRegion'], 'us-east-1'));

    expect(configErrorOf(() => loadConfig('paper', { dir })).message).toMatch(/aws\.drRegion: must differ/);
  });

  it('refuses a message rate above IB\'s 50/s', () => {
    const dir = variant('local', (doc) => doc.setIn(['broker', 'maxMessagesPerSecond'], 51));

    expect(configErrorOf(() => loadConfig('local', { dir })).issues.map((i) => i.path)).toContain('broker.maxMessagesPerSecond');
  });

  it('refuses a file whose env does not match its name', () => {
    const dir = variant('paper', () => undefined, 'prod');

    const error = configErrorOf(() => loadConfig('prod', { dir }));

    expect(error.code).toBe('CONFIG.ENV_MISMATCH');
  });

  it('reports an unknown environment and unreadable YAML with the file named', () => {
    expect(configErrorOf(() => loadConfig('staging')).code).toBe('CONFIG.NOT_FOUND');
    const error = configErrorOf(() => parseConfigText('env: local\nenv: prod\n', 'config/x.yaml'));
    expect(error.code).toBe('CONFIG.UNREADABLE_YAML');
    expect(error.message).toMatch(/^config\/x\.yaml: /);
  });
});

describe('runValidateConfig', () => {
  it('passes every shipped config', () => {
    const { exitCode, output } = runValidateConfig([]);

    expect(exitCode).toBe(0);
    expect(output.split('\n')).toHaveLength(ENV_NAMES.length);
  });

  it('fails a bad file with its field named', () => {
    const dir = variant('sim', (doc) => doc.setIn(['broker', 'kind'], 'ib'));

    const result = runValidateConfig(['--file', join(dir, 'sim.yaml')]);

    expect(result.exitCode).toBe(1);
    expect(result.output).toMatch(/sim\.yaml: broker\.kind: /);
  });

  it('validates one environment from another folder', () => {
    const dir = variant('local', () => undefined);

    expect(runValidateConfig(['--env', 'local', '--dir', dir]).exitCode).toBe(0);
  });

  it('answers usage errors with exit code 2', () => {
    expect(runValidateConfig(['--bogus']).exitCode).toBe(2);
    expect(runValidateConfig(['--env', 'a', '--file', 'b']).exitCode).toBe(2);
  });
});
