import { InvalidArgumentError } from 'commander';
import { brokersOption, integerOption, modelNameOption, numberOption, positiveNumberOption } from './options';

describe('option parsers', () => {
  it('integers: whole numbers in range only', () => {
    const epochs = integerOption(1, 10_000);
    expect(epochs('12')).toBe(12);
    for (const bad of ['ten', '', ' ', '1.5', '0', '10001', 'NaN', '1e9']) expect(() => epochs(bad)).toThrow(InvalidArgumentError);
    expect(() => integerOption(1)('0')).toThrow('expected an integer >= 1');
  });

  it('numbers: finite, inclusive or half-open ranges', () => {
    expect(numberOption(0, 1, true)('0.5')).toBe(0.5);
    expect(() => numberOption(0, 1, true)('1')).toThrow('expected a number in [0, 1)');
    expect(numberOption(0, 10)('10')).toBe(10);
    expect(() => numberOption(0, 10)('Infinity')).toThrow(InvalidArgumentError);
    expect(positiveNumberOption(10)('1e-3')).toBe(0.001);
    expect(() => positiveNumberOption(10)('0')).toThrow('expected a number in (0, 10)');
  });

  it('model names are directory-safe and fit the model.published schema', () => {
    expect(modelNameOption('fin-sentiment_v2.1')).toBe('fin-sentiment_v2.1');
    for (const bad of ['../x', '-x', 'a b', '', 'a/b', 'x'.repeat(129)]) expect(() => modelNameOption(bad)).toThrow(InvalidArgumentError);
  });

  it('brokers: host:port list', () => {
    expect(brokersOption('a:9092, b:9093')).toBe('a:9092,b:9093');
    expect(() => brokersOption('localhost')).toThrow('brokers: "localhost" is not host:port');
  });
});
