// types
export type {
  SentimentLabel,
  WindowKind,
  AlertSeverity,
  AlertRule,
  LabelScore,
  WindowEvent,
  Headline,
  SentimentAlert,
} from './types';

// alerting
export { windowKeyOf, parseWindowKey, isWindowKind } from './alerting/window-key';
export type { ParsedWindowKey } from './alerting/window-key';
