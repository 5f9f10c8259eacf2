import type { AppConfig } from '../../config/schema.js';
import type { CioConfig } from '../../core/cio/config.js';

/** The CIO's configuration from an environment's config: the `cio` section plus the universe's lot and tick sizes. */
export function cioConfigFromConfig(config: AppConfig): CioConfig {
  const { maxQuoteAgeMs: _maxQuoteAgeMs, volTargeting, ...rest } = config.cio;
  return {
    ...rest,
    ...(volTargeting === undefined ? {} : { volTargeting }),
    instruments: Object.fromEntries(config.universe.map((u) => [u.symbol, { lotSize: u.lotSize, tickSize: u.tickSize }])),
  };
}
