export { TemplateMiner } from './miner.js';
export type { TemplateMatch, TemplateMinerOptions, TemplateMinerState, TemplateSummary } from './miner.js';
export { groupingAccuracy } from './grouping-accuracy.js';
export { MessageMasker, WILDCARD, splitWhitespace } from './mask.js';
export type { MaskedMessage } from './mask.js';
export { templateIdOf } from './template-id.js';
