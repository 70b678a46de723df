import type { BridgeModuleFactory } from './module.js';
import { createMaskingModule } from '../modules/masking/index.js';
import { createPatternsModule } from '../modules/patterns/index.js';
import { otlpReceiverModule } from '../modules/otlp/index.js';
import { tracesModule } from '../modules/traces/index.js';
import { createSignalsModule, type SignalsModuleOptions } from '../modules/signals/module.js';

export interface DefaultModulesOptions {
  signals?: Partial<SignalsModuleOptions>;
}

/** The capabilities every bridge runs, in pipeline order: masking before template mining. */
export function defaultModules(options: DefaultModulesOptions = {}): BridgeModuleFactory[] {
  // API-only instances (not consuming) serve signals but do not compute them.
  const signals: BridgeModuleFactory = (ctx) => createSignalsModule({ compute: ctx.consuming, ...options.signals })(ctx);
  return [createMaskingModule, createPatternsModule, otlpReceiverModule, tracesModule, signals];
}
