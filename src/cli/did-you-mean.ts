/**
 * Edit distance with adjacent transpositions counting as one edit (optimal string alignment):
 * "--shrad" is one slip from "--shard", not two.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidate a mistyped word most likely meant, or undefined when none is close: at most two
 * edits, and fewer than a third of the word (so "--js" is not "--ci"). Ties go to the candidate
 * whose length is nearest, then to the first in code-unit order, so the answer never depends on
 * the order the candidates were listed in.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  let best: { name: string; distance: number; lengthGap: number } | undefined;
  for (const name of candidates) {
    if (name === word) continue;
    const distance = editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance > limit) continue;
    const lengthGap = Math.abs(name.length - word.length);
    if (
      best === undefined ||
      distance < best.distance ||
      (distance === best.distance && (lengthGap < best.lengthGap || (lengthGap === best.lengthGap && name < best.name)))
    ) {
      best = { name, distance, lengthGap };
    }
  }
  return best?.name;
}
