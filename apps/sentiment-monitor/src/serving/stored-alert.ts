/** An alert as sentiment.alerts carries it (libs/sentiment SentimentAlert + raisedAt): what the hub holds and the streams send. */
import type { SentimentAlertValue } from '@tuneline/events';

export type StoredAlert = SentimentAlertValue;
