import { isHumanRequest } from './human-request';

describe('explicit human request', () => {
  it.each([
    'I want to talk to a person.',
    'connect me to an agent',
    'can I speak with a human',
    'Get me a real person.',
    'transfer me to support staff',
    'Let me talk to someone.',
    'I want a live agent.',
    'human support please',
    'stop the bot, I need a person',
    'agent please',
    'Agent!',
    'operator',
    '转人工',
    '我要找人工客服',
    '能不能让真人跟我说',
    '帮我联系客服人员',
  ])('"%s" asks for a human', (text) => {
    expect(isHumanRequest(text)).toBe(true);
  });

  it.each([
    'the agent said my card was sent',
    'my card was stolen',
    'how do I transfer money to my friend',
    'how much is a person-to-person payment fee',
    '我的银行卡丢了',
    'When will my new card arrive?',
  ])('"%s" does not', (text) => {
    expect(isHumanRequest(text)).toBe(false);
  });
});
