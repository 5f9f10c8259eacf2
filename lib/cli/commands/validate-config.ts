import type { CliCommand } from '../command.js';
import { runValidateConfig } from '../../config/load.js';

/** Startup step 3: the same check `npm start` and `cdk synth` apply, naming file and field. */
export const validateConfig: CliCommand = {
  name: 'validate-config',
  replaces: 'scripts/validate_config.py',
  summary: 'Validate config/<env>.yaml (all environments by default); names the file and field of each error',
  usage: 'tradeops validate-config [--env <name> | --file <path>] [--dir <config dir>]',
  options: { env: { type: 'string' }, file: { type: 'string' }, dir: { type: 'string' } },
  async run(values, _positionals, io) {
    const args: string[] = [];
    for (const k of ['env', 'file', 'dir'] as const) {
      const v = values[k];
      if (typeof v === 'string') args.push(`--${k}`, v);
    }
    const r = runValidateConfig(args);
    (r.exitCode === 0 ? io.out : io.err)(r.output);
    return r.exitCode;
  },
};
