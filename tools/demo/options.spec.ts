import { DemoUsageError, parseDemoOptions } from './options';

describe('npm run demo options', () => {
  it('defaults to 8 items/s, a fresh user per run and a 240 s alert wait', () => {
    expect(parseDemoOptions([], () => 35)).toEqual({ rate: 8, user: 'demo-user-z', alertTimeoutS: 240 });
  });

  it('takes --rate, --user and --alert-timeout-s', () => {
    expect(parseDemoOptions(['--rate', '4', '--user', ' 1 ', '--alert-timeout-s', '90'])).toEqual({ rate: 4, user: '1', alertTimeoutS: 90 });
  });

  it.each([
    [['--rate', '0'], '--rate must be an integer in [1, 1000], got 0'],
    [['--rate'], '--rate must be an integer in [1, 1000], got nothing'],
    [['--user', ' '], '--user needs a user id'],
    [['--fast'], 'unknown argument --fast'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseDemoOptions(argv)).toThrow(DemoUsageError);
    expect(() => parseDemoOptions(argv)).toThrow(message);
  });
});
