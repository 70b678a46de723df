import type { BridgeModuleFactory } from './module.js';
import { createMaskingModule } from '../modules/masking/index.js';
import { createPatternsModule } from '../modules/patterns/index.js';
import { otlpReceiverModule } from '../modules/otlp/index.js';
import { tracesModule } from '../modules/traces/index.js';

/** The capabilities every bridge runs, in pipeline order: masking before template mining. */
export function defaultModules(): BridgeModuleFactory[] {
  return [createMaskingModule, createPatternsModule, otlpReceiverModule, tracesModule];
}
