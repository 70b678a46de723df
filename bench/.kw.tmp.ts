import { builtinDetectors } from '../backend-bridge/src/domain/masking/detectors.js';
console.log(builtinDetectors.find(d => d.name === 'sensitive_key_value')?.lowerNeedles);
