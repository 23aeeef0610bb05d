/**
 * Explicit requests for a human, matched before (and regardless of) the classifier,
 * so "agent please" hands off even when the model is unsure. English patterns need a
 * request verb or "please" near a person word, so "the agent said my card was sent"
 * does not trigger; Chinese patterns name the human channel (人工, 客服, 真人).
 */
export const HUMAN_REQUEST_PATTERNS: readonly RegExp[] = [
  /\b(?:talk|speak|chat|connect|transfer|put)\b[^.?!]{0,25}\b(?:human|person|agent|operator|someone|somebody|representative|advisor|staff|people)\b/i,
  /\b(?:want|need|get|give)\b[^.?!]{0,15}\b(?:human|real person|live agent|agent|operator|representative)\b/i,
  /\b(?:human|real person|live agent|agent|operator|representative)\b[^.?!]{0,10}\bplease\b/i,
  /\bhuman support\b|\bstop the bot\b|\bnot a bot\b|\bcustomer service on the phone\b/i,
  /^\s*(?:agent|human|operator|representative)\s*[.!?]*\s*$/i,
  /转人工|人工客服|人工服务|找人工|真人|接人工|联系客服|找客服|客服人员|我要投诉/,
];

export function isHumanRequest(text: string): boolean {
  return HUMAN_REQUEST_PATTERNS.some((re) => re.test(text));
}
