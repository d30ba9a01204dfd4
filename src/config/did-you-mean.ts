/** Edit distance (insertions, deletions, substitutions) between two short words. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The known name a mistyped one most likely meant: the same word in another case, a prefix either
 * way (`sink` → `sinks`), or at most two letters off (`sinsk` → `sinks`); undefined when none is close.
 */
export function didYouMean(typed: string, known: readonly string[]): string | undefined {
  const word = typed.toLowerCase();
  const candidates = known.map((name) => ({ name, lower: name.toLowerCase() }));
  return (
    candidates.find((c) => c.lower === word)?.name ??
    candidates.find((c) => word.length >= 3 && (c.lower.startsWith(word) || word.startsWith(c.lower)))
      ?.name ??
    candidates
      .map((c) => ({ ...c, distance: distance(word, c.lower) }))
      .filter((c) => c.distance <= 2 && c.distance < c.lower.length / 2)
      .sort((x, y) => x.distance - y.distance)[0]?.name
  );
}
