// Sensitive-data detection and masking (issue 4; F4, X1-X3): pure functions over plain text and records.
export { luhnValid, rrnValid, ibanValid, ssnValid, shannonEntropy } from './checks.js';
export { builtinDetectors, builtinRuleNames, builtinSensitiveKeyWords } from './detectors.js';
export type { Detector, MatchRange, EntropyOptions } from './detectors.js';
export {
  compilePolicy,
  detectSpans,
  maskLogRecord,
  maskRecord,
  maskText,
  replacementFor,
  type CompiledMaskingPolicy,
  type CompiledMaskingScope,
  type MaskHits,
  type MaskableLogRecord,
  type MaskRecordOptions,
  type MaskRecordResult,
  type MaskSpan,
  type MaskTextResult,
} from './engine.js';
export {
  defaultMaskingPolicy,
  maskingActions,
  parseMaskingPolicy,
  resolveMaskingLayer,
  type CustomMaskingRule,
  type MaskingAction,
  type MaskingLayer,
  type MaskingPolicy,
  type MaskingRuleSetting,
  type MaskingServiceLayer,
  type PolicyError,
  type PolicyParseResult,
  type ResolvedMaskingLayer,
} from './policy.js';
