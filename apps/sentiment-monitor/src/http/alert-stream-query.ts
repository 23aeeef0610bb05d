/**
 * GET /v1/alerts/stream's query: the filter (the same parser as gRPC StreamAlerts) and where
 * to resume. `entity` and `topic` repeat (`?entity=ACME&entity=Globex`; a name may hold a
 * comma, so no comma lists), `min_severity` is warning or critical, `min_z_score` a decimal.
 * Resume: the Last-Event-ID header (what a browser's EventSource sends when it reconnects),
 * else `resume_token` (a first connection from a browser cannot set headers). An unknown
 * parameter is refused by name, so a typo does not silently widen the stream.
 */
import { ValidationError } from '@tuneline/platform';
import { parseAlertFilter, type AlertFilter } from '@tuneline/sentiment';
import { withPlatformErrors } from '../serving/serving-errors';

const KNOWN = new Set(['entity', 'topic', 'min_severity', 'min_z_score', 'resume_token']);
const SINGLE = ['min_severity', 'min_z_score', 'resume_token'] as const;
/** Query parameter of each filter field, for messages naming what the caller wrote. */
const PARAM_OF: Readonly<Record<string, string>> = { entities: 'entity', topics: 'topic', minSeverity: 'min_severity', minZScore: 'min_z_score' };

export interface AlertStreamQuery {
  readonly filter: AlertFilter;
  readonly resumeToken: string | undefined;
}

export async function alertStreamQueryOf(search: URLSearchParams, lastEventId: string | undefined): Promise<AlertStreamQuery> {
  for (const name of search.keys()) {
    if (!KNOWN.has(name)) throw new ValidationError(`unknown query parameter "${name}"; expected ${[...KNOWN].join(', ')}`, { field: name });
  }
  for (const name of SINGLE) {
    if (search.getAll(name).length > 1) throw new ValidationError(`query parameter "${name}" given more than once`, { field: name });
  }
  const filter = await withPlatformErrors(() =>
    parseAlertFilter({
      entities: search.getAll('entity'),
      topics: search.getAll('topic'),
      minSeverity: search.get('min_severity'),
      minZScore: search.get('min_z_score'),
    }),
  ).catch((err: unknown) => {
    // Name the query parameter, not the library's field.
    if (err instanceof ValidationError && err.field && PARAM_OF[err.field]) {
      const param = PARAM_OF[err.field] as string;
      throw new ValidationError(err.message.replace(err.field, param), { field: param, cause: err });
    }
    throw err;
  });
  const token = lastEventId?.trim() || search.get('resume_token') || undefined;
  return { filter, resumeToken: token };
}
