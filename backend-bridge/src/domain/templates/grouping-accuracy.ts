/**
 * Grouping accuracy (He et al., ICSE-SEIP 2019): a line counts as correct when the set of lines in its predicted
 * group equals the set of lines sharing its ground-truth event. Returns correct lines / all lines.
 */
export function groupingAccuracy(predicted: readonly string[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) throw new Error('predicted and truth must have the same length');
  if (truth.length === 0) return 1;
  const truthSizes = new Map<string, number>();
  for (const t of truth) truthSizes.set(t, (truthSizes.get(t) ?? 0) + 1);
  // Per predicted group: its size and its single truth label, or null once two labels are seen.
  const groups = new Map<string, { size: number; label: string | null }>();
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] as string;
    const t = truth[i] as string;
    const group = groups.get(p);
    if (group === undefined) groups.set(p, { size: 1, label: t });
    else {
      group.size++;
      if (group.label !== t) group.label = null;
    }
  }
  let correct = 0;
  for (const group of groups.values()) {
    if (group.label !== null && truthSizes.get(group.label) === group.size) correct += group.size;
  }
  return correct / truth.length;
}
