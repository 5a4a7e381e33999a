import type { StepProgress } from '../workflows/progress';
import { StepReporter, type StepEvent } from './follow';

const at = (second: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString();

function step(id: string, extra: Partial<StepProgress> & { start: number; end?: number }): StepProgress {
  const { start, end, ...rest } = extra;
  return {
    id,
    kind: 'set',
    status: end === undefined ? 'running' : 'completed',
    startedAt: at(start),
    ...(end !== undefined ? { endedAt: at(end) } : {}),
    ...rest,
  };
}

function lines(looks: StepProgress[][]): string[] {
  const events: StepEvent[] = [];
  const reporter = new StepReporter((event) => events.push(event));
  for (const steps of looks) reporter.report(steps);
  return events.map((event) => `${event.type} ${event.step?.path ?? event.step?.id ?? '?'}`);
}

describe('StepReporter: events in the order they happened', () => {
  it('a step that ended before the next started is reported ended first, even seen in one look', () => {
    expect(lines([[step('a', { start: 0, end: 1 }), step('b', { start: 1, end: 2 })]])).toEqual([
      'started a',
      'completed a',
      'started b',
      'completed b',
    ]);
  });

  it('a loop ends after its iterations, each iteration named by its index', () => {
    const loop = step('each', { kind: 'forEach', start: 0, end: 0 });
    const iterations = [0, 1, 2].map((index) =>
      step('post', { path: `each[${index}]/post`, parent: 'each', depth: 1, start: 0, end: 0 }),
    );
    expect(lines([[loop, ...iterations]])).toEqual([
      'started each',
      'started each[0]/post',
      'completed each[0]/post',
      'started each[1]/post',
      'completed each[1]/post',
      'started each[2]/post',
      'completed each[2]/post',
      'completed each',
    ]);
  });

  it('nested constructs close inside out; nothing is reported twice across looks', () => {
    const outer = step('decide', { kind: 'if', start: 0 });
    const inner = step('guard', { kind: 'try', parent: 'decide', depth: 1, start: 0 });
    const leaf = step('work', { parent: 'guard', depth: 2, start: 0 });
    const first = lines([[outer, inner, leaf]]);
    expect(first).toEqual(['started decide', 'started guard', 'started work']);
    const done = [
      { ...outer, status: 'completed' as const, endedAt: at(3) },
      { ...inner, status: 'completed' as const, endedAt: at(3) },
      { ...leaf, status: 'completed' as const, endedAt: at(3) },
      step('after', { start: 3, end: 4 }),
    ];
    expect(lines([[outer, inner, leaf], done]).slice(3)).toEqual([
      'completed work',
      'completed guard',
      'completed decide',
      'started after',
      'completed after',
    ]);
  });

  it('retries are reported once per attempt, on the one Gong step running', () => {
    const events: StepEvent[] = [];
    const reporter = new StepReporter((event) => events.push(event));
    const running = [step('listUsers', { kind: 'action', start: 0 })];
    const retry = {
      activityId: '1',
      activityType: 'runGongAction',
      attempt: 2,
      lastError: 'Gong answered 500',
    };
    reporter.reportRetries(running, [retry]);
    reporter.reportRetries(running, [retry]);
    reporter.reportRetries(running, [{ ...retry, attempt: 3 }]);
    expect(
      events.map((event) => (event.type === 'retrying' ? `${event.step?.id} ${event.retry.attempt}` : '')),
    ).toEqual(['listUsers 2', 'listUsers 3']);
  });
});
