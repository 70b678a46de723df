import type { BridgeModuleFactory } from './module.js';

/** The capabilities every bridge runs, in pipeline order. */
export function defaultModules(): BridgeModuleFactory[] {
  return [];
}
