/** Configuration: one strict schema, one loader. Read once at the edge (bin/), passed down as props. */
export * from './schema.js';
export { ConfigError, DEFAULT_CONFIG_DIR, listConfigEnvs, loadConfig, parseConfigText, runValidateConfig, validateConfigFile } from './load.js';
export type { ConfigErrorCode, LoadConfigOptions } from './load.js';
export { RUNTIME_ENV } from './runtime-env.js';
export type { RuntimeEnvName } from './runtime-env.js';
