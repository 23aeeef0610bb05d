import { TextNeighbours, type TextNeighboursOptions } from '../candidates/text-neighbours';
import type { ItemCatalog } from '../catalog/item-catalog';
import { fitCollaborative, type CollaborativeModels, type CollaborativeOptions } from '../collab/collaborative';
import type { Interaction } from '../data/catalog-item';
import { IdIndex } from '../data/id-index';
import { FeatureExtractor, type UserSide } from '../features/feature-extractor';
import { ItemPopularity, type ItemPopularityOptions } from '../features/item-popularity';
import { TimeSweep } from '../features/time-sweep';
import { applyEvent, checkInteraction, type ProfileOptions } from '../profile/apply-event';
import { emptyProfile, type UserProfile } from '../profile/user-profile';

export interface OfflineStateOptions {
  readonly profile?: ProfileOptions;
  readonly collaborative?: CollaborativeOptions;
  readonly popularity?: ItemPopularityOptions;
  readonly textNeighbours?: TextNeighboursOptions;
  /** Reuse these neighbour lists (they depend on the catalog only) instead of computing new ones. */
  readonly sharedTextNeighbours?: TextNeighbours;
}

/** Everything the features read, rebuilt from an interaction log (training, or a service's warm start). */
export interface OfflineState {
  readonly catalog: ItemCatalog;
  readonly profiles: ReadonlyMap<string, UserProfile>;
  readonly popularity: ItemPopularity;
  readonly collaborative: CollaborativeModels;
  readonly textNeighbours: TextNeighbours;
  /**
   * Calls `fn` for each user, in order of their last event, with their features as of that
   * moment: the trend counts only events up to it (an unknown user: an empty profile at time 0).
   */
  forUsersInTime(userIds: readonly string[], fn: (userId: string, user: UserSide, extractor: FeatureExtractor) => void): void;
}

/** Profiles from replaying `interactions` in time order through applyEvent. */
export function replayProfiles(interactions: readonly Interaction[], catalog: ItemCatalog, options: ProfileOptions = {}): Map<string, UserProfile> {
  const order = interactions.map((_, i) => i).sort((a, b) => (interactions[a] as Interaction).ts - (interactions[b] as Interaction).ts || a - b);
  const profiles = new Map<string, UserProfile>();
  for (const k of order) {
    const x = interactions[k] as Interaction;
    profiles.set(x.userId, applyEvent(profiles.get(x.userId) ?? emptyProfile(x.userId, catalog.dim), x, catalog, options));
  }
  return profiles;
}

/** Builds profiles, popularity, the collaborative models and text neighbours from `interactions`. */
export function buildOfflineState(catalog: ItemCatalog, interactions: readonly Interaction[], options: OfflineStateOptions = {}): OfflineState {
  interactions.forEach((x, i) => checkInteraction(x, `interactions[${i}]`));
  const items = IdIndex.of(catalog.ids);
  const indexOf = (id: string) => catalog.indexOf(id);
  const popularity = new ItemPopularity(options.popularity);
  popularity.recordAll(interactions, indexOf);
  const collaborative = fitCollaborative(interactions, items, options.collaborative);
  const textNeighbours = options.sharedTextNeighbours ?? new TextNeighbours(catalog, options.textNeighbours);
  const profiles = replayProfiles(interactions, catalog, options.profile);
  return {
    catalog, profiles, popularity, collaborative, textNeighbours,
    forUsersInTime(userIds, fn) {
      const sweep = new TimeSweep(interactions, indexOf, options.popularity);
      const extractor = new FeatureExtractor({
        catalog, popularity, cooc: collaborative.cooc, ...(collaborative.sequence ? { sequence: collaborative.sequence } : {}),
        ...(collaborative.ease ? { ease: collaborative.ease } : {}), textNeighbours, trend: sweep.popularity,
      });
      const profileOf = (u: string) => profiles.get(u) ?? emptyProfile(u, catalog.dim);
      const ordered = userIds.slice().sort((a, b) => profileOf(a).lastEventMs - profileOf(b).lastEventMs || (a < b ? -1 : 1));
      for (const userId of ordered) {
        const profile = profileOf(userId);
        sweep.advanceTo(profile.lastEventMs);
        fn(userId, extractor.user(profile, profile.lastEventMs), extractor);
      }
    },
  };
}

/** The seen items of a profile as ascending catalog indices (unknown ids left out). */
export function seenIndices(profile: UserProfile, catalog: Pick<ItemCatalog, 'indexOf'>): Int32Array {
  const out: number[] = [];
  for (const s of profile.seen) {
    const i = catalog.indexOf(s.itemId);
    if (i >= 0) out.push(i);
  }
  return Int32Array.from(out).sort();
}
