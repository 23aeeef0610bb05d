import { replyChunks } from './reply-chunks';

describe('replyChunks', () => {
  it.each([
    ['Here is what I found:\n\nYou can top up. It is free!', ['Here is what I found:\n\n', 'You can top up. ', 'It is free!']],
    ['No punctuation at all', ['No punctuation at all']],
    ['冻结您的卡。我们会帮您！', ['冻结您的卡。', '我们会帮您！']],
    ['Costs 1.5 EUR... really? Yes', ['Costs 1.5 EUR... ', 'really? ', 'Yes']],
    ['Version 2.0.1 is out. Fees rose 0.25%.', ['Version 2.0.1 is out. ', 'Fees rose 0.25%.']],
    ['Step 1. Open the app', ['Step 1. ', 'Open the app']],
  ])('splits %j into sentences that join back to the reply', (reply, chunks) => {
    expect(replyChunks(reply)).toEqual(chunks);
    expect(replyChunks(reply).join('')).toBe(reply);
  });

  it('gives no chunks for an empty reply', () => {
    expect(replyChunks('')).toEqual([]);
  });
});
