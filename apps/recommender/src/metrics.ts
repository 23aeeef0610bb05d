/**
 * The service's own metrics, on the process registry (/metrics): events by consumer and
 * outcome, dead letters, and the catalog's size and the ranking model's version at scrape time.
 */
import { Counter, Gauge, type Registry } from 'prom-client';

/** Which consumer: the shared group (profiles, dead letters), or this replica's catalog / signals feeds. */
export type EventConsumer = 'shared' | 'catalog' | 'signals';
/**
 * applied: changed state; ignored: nothing to do (a skip, or a record another consumer applies);
 * rejected: malformed in a feed (the shared group dead-letters it); failed: a feed could not apply it (logged).
 */
export type EventOutcome = 'applied' | 'ignored' | 'rejected' | 'failed';

export interface RecommenderMetrics {
  event(consumer: EventConsumer, topic: string, outcome: EventOutcome): void;
  deadLettered(topic: string): void;
  /** Read at scrape time. */
  watch(source: { catalogSize(): number }): void;
}

export function createRecommenderMetrics(registry: Registry): RecommenderMetrics {
  const registers = [registry];
  const events = new Counter({ name: 'tuneline_recommender_events_total', help: 'Consumed records by consumer, topic and outcome', labelNames: ['consumer', 'topic', 'outcome'], registers });
  const dead = new Counter({ name: 'tuneline_recommender_dead_letters_total', help: 'Records the shared consumer dead-lettered, by topic', labelNames: ['topic'], registers });
  let source: { catalogSize(): number } | undefined;
  new Gauge({
    name: 'tuneline_recommender_catalog_items',
    help: 'Items in this replica\'s catalog',
    registers,
    collect() {
      if (source) this.set(source.catalogSize());
    },
  });
  return {
    event: (consumer, topic, outcome) => events.inc({ consumer, topic, outcome }),
    deadLettered: (topic) => dead.inc({ topic }),
    watch: (s) => {
      source = s;
    },
  };
}
