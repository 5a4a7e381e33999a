/** Reading Prometheus text exposition in tests: one sample's value, the families a scrape has. */

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseSamples(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const match = SAMPLE.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the sample of `name` whose labels include `labels` (0 when there is none: a counter not yet counted). */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  const sample = parseSamples(text).find(
    (candidate) =>
      candidate.name === name &&
      Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  );
  return sample?.value ?? 0;
}

/** Every sample's name (histograms: their _bucket, _sum and _count series) with the largest value seen. */
export function sampleNames(text: string): Map<string, number> {
  const names = new Map<string, number>();
  for (const sample of parseSamples(text))
    names.set(sample.name, Math.max(names.get(sample.name) ?? -Infinity, sample.value));
  return names;
}

/**
 * The series names a scrape can have, from its `# TYPE` lines whether or not a family has samples yet:
 * a histogram's `_bucket`, `_sum` and `_count`, a counter or gauge by its own name.
 */
export function exposedSeries(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    if (type === 'histogram' || type === 'summary')
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
    if (type !== 'histogram') names.add(name);
  }
  return names;
}
