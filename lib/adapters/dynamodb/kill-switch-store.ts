import { CancelVerificationSchema, KillSwitchActivationSchema, type CancelVerification, type KillSwitchActivation } from '../../core/kill-switch/activation.js';
import { StrategyHaltSchema, type StrategyHalt } from '../../core/kill-switch/halts.js';
import type { KillSwitchStore } from '../../ports/kill-switch.js';
import type { DynamoTableRef } from './client.js';
import { parseRecord } from './errors.js';
import { stripKeys } from './keys.js';
import { Table } from './table.js';

/**
 * Item layout of the kill switch's records in the `state` table (one small partition):
 *
 * | record              | pk            | sk                 |
 * | ------------------- | ------------- | ------------------ |
 * | strategy halt       | `KILL_SWITCH` | `HALT#<strategy>`  |
 * | last activation     | `KILL_SWITCH` | `ACTIVATION`       |
 * | last cancel verdict | `KILL_SWITCH` | `CANCEL_VERIFIED`  |
 */
export const KillSwitchKeys = {
  halt: (strategyId: string) => ({ pk: KILL_SWITCH_PK, sk: `${HALT_SK_PREFIX}${strategyId}` }),
  activation: () => ({ pk: KILL_SWITCH_PK, sk: 'ACTIVATION' }),
  cancelVerification: () => ({ pk: KILL_SWITCH_PK, sk: 'CANCEL_VERIFIED' }),
} as const;
export const KILL_SWITCH_PK = 'KILL_SWITCH';
const HALT_SK_PREFIX = 'HALT#';

export class DynamoDbKillSwitchStore implements KillSwitchStore {
  private readonly table: Table;
  constructor(ref: DynamoTableRef) {
    this.table = new Table(ref);
  }

  haltStrategy(halt: StrategyHalt): Promise<boolean> {
    const record = StrategyHaltSchema.parse(halt);
    return this.table.put({ ...KillSwitchKeys.halt(record.strategyId), ...record }, { ConditionExpression: 'attribute_not_exists(pk)' });
  }

  async getStrategyHalt(strategyId: string): Promise<StrategyHalt | undefined> {
    return this.table.getRecord(KillSwitchKeys.halt(strategyId), StrategyHaltSchema, `strategy halt ${strategyId}`);
  }

  async listStrategyHalts(): Promise<StrategyHalt[]> {
    const items = await this.table.query({ KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)', ExpressionAttributeValues: { ':pk': KILL_SWITCH_PK, ':prefix': HALT_SK_PREFIX }, ConsistentRead: true });
    return items.map((i) => parseRecord(StrategyHaltSchema, stripKeys(i), `strategy halt ${String(i['sk'])}`));
  }

  async resumeStrategy(strategyId: string): Promise<StrategyHalt | undefined> {
    const existing = await this.getStrategyHalt(strategyId);
    if (existing === undefined) return undefined;
    await this.table.delete(KillSwitchKeys.halt(strategyId));
    return existing;
  }

  async putActivation(activation: KillSwitchActivation): Promise<void> {
    await this.table.put({ ...KillSwitchKeys.activation(), ...KillSwitchActivationSchema.parse(activation) });
  }

  async getActivation(): Promise<KillSwitchActivation | undefined> {
    return this.table.getRecord(KillSwitchKeys.activation(), KillSwitchActivationSchema, 'kill-switch activation');
  }

  async putCancelVerification(verification: CancelVerification): Promise<void> {
    await this.table.put({ ...KillSwitchKeys.cancelVerification(), ...CancelVerificationSchema.parse(verification) });
  }

  async getCancelVerification(): Promise<CancelVerification | undefined> {
    return this.table.getRecord(KillSwitchKeys.cancelVerification(), CancelVerificationSchema, 'cancel verification');
  }
}
