import { checkLabelCompatibility, checkLabelsMatchEvent } from './label-policy';

describe('label policy', () => {
  const served = ['billing', 'card'];

  it('superset (default policy) allows added labels and refuses removed ones', () => {
    expect(() => checkLabelCompatibility(served, ['card', 'billing', 'refund'], 'superset')).not.toThrow();
    expect(() => checkLabelCompatibility(served, ['card'], 'superset')).toThrow(/drops served label\(s\) billing/);
  });

  it('same allows reordering only', () => {
    expect(() => checkLabelCompatibility(served, ['card', 'billing'], 'same')).not.toThrow();
    expect(() => checkLabelCompatibility(served, [...served, 'refund'], 'same')).toThrow(/adds label\(s\) refund/);
    expect(() => checkLabelCompatibility(served, ['card'], 'same')).toThrow(expect.objectContaining({ code: 'INCOMPATIBLE_LABELS' }));
  });

  it('any accepts every set; nothing served accepts every set', () => {
    expect(() => checkLabelCompatibility(served, ['x'], 'any')).not.toThrow();
    expect(() => checkLabelCompatibility(undefined, ['x'], 'same')).not.toThrow();
  });

  it('refuses an unknown policy name with a TypeError naming the field', () => {
    expect(() => checkLabelCompatibility(served, served, 'loose' as never)).toThrow(TypeError);
  });

  it('labels.json must equal the event labels, order included', () => {
    expect(() => checkLabelsMatchEvent(['a', 'b'], ['a', 'b'])).not.toThrow();
    expect(() => checkLabelsMatchEvent(undefined, [])).not.toThrow();
    expect(() => checkLabelsMatchEvent(['b', 'a'], ['a', 'b'])).toThrow(expect.objectContaining({ code: 'LABELS_MISMATCH' }));
    expect(() => checkLabelsMatchEvent(undefined, ['a'])).toThrow(/differs from the event's labels/);
  });
});
