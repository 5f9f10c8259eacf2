/**
 * Freezes a plain JSON-like value in depth and returns it: for values handed to several holders
 * (a parsed event to every consumer, a stored record to every reader) that none may change.
 * Already frozen parts are not walked again.
 * @example deepFreeze({ a: { b: 1 } }).a // frozen too
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) deepFreeze(v);
  return Object.freeze(value);
}
