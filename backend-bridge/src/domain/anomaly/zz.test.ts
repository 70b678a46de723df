import { it } from 'vitest';
import { RobustEnsembleDetector } from '/work/main/backend-bridge/src/domain/anomaly/robustEnsembleDetector.js';
it('x', () => {
  const values = Array.from({ length: 800 }, (_, i) => (i === 700 ? 400 : 50 + ((i * 7919) % 13) - 6));
  for (const comps of [[true, true, true, true, true], [true, true, true, true, false]] as const) {
    const d = new RobustEnsembleDetector({ components: [...comps] as never });
    values.forEach((v, i) => { const s = d.score(Date.UTC(2024, 0, 1) + i * 300000, v); if (s > 0.99) console.log(comps[4], i, s, d.lastTailProbabilities.map((p) => p.toExponential(1)).join(' ')); });
  }
});
