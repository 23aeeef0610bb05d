import type { LoadedVersion, LoadOptions } from '@tuneline/inference';

/** The slice of @tuneline/inference's ModelRepository the follower drives (a fake fits in unit tests). */
export interface ServingRepository {
  readonly root: string;
  currentVersion(model: string): string | undefined;
  get(model: string): LoadedVersion;
  load(model: string, version?: string, options?: LoadOptions): Promise<LoadedVersion>;
}

/** Labels of the version served now, or undefined when none is served or it has none. */
export function servedLabels(repository: ServingRepository, model: string): readonly string[] | undefined {
  return repository.currentVersion(model) === undefined ? undefined : repository.get(model).textModel.dir.labels;
}
