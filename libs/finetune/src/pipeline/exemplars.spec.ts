import type { TaskRow } from '../data/task-rows';
import { ExemplarPlanError, MAX_EXEMPLARS } from '../train/exemplar-options';
import { planExemplars } from './exemplars';

const rows = (n: number): TaskRow[] => Array.from({ length: n }, (_, i) => ({ line: i + 1, id: String(i), text: `message ${i}`, labels: [i % 2 ? 'a' : 'b'] }));
const options = { k: 3, temperature: 0.02, weight: 0.5 };

describe('planExemplars cap', () => {
  it('takes exactly MAX_EXEMPLARS distinct rows and refuses one more', () => {
    expect(planExemplars(options, 'classify', 'head', rows(MAX_EXEMPLARS), ['a', 'b'])?.rows).toHaveLength(MAX_EXEMPLARS);
    const over = () => planExemplars(options, 'classify', 'head', rows(MAX_EXEMPLARS + 1), ['a', 'b']);
    expect(over).toThrow(`exemplars: ${MAX_EXEMPLARS + 1} distinct training rows exceed the ${MAX_EXEMPLARS} the graph may carry`);
    // Its own class, so the CLI exits 2 (usage) and not 1 (an unexpected failure).
    expect(over).toThrow(ExemplarPlanError);
  });

  it('counts distinct (text, label) rows, so repeats do not count against it', () => {
    const repeated = [...rows(MAX_EXEMPLARS), ...rows(10)];
    expect(planExemplars(options, 'classify', 'head', repeated, ['a', 'b'])?.rows).toHaveLength(MAX_EXEMPLARS);
  });
});
