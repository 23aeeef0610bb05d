/**
 * Recommender quality (issue 13): popularity, ItemKNN and EASE on MovieLens small under the
 * issue's protocol (tools/bench/recommender-protocol.ts), all on the same split.
 *   npx tsx --tsconfig tools/tsconfig.json tools/bench/recommender-quality.ts [--ratings F --movies F --tags F] [--test F]
 * Merges its keys into docs/benchmarks/recommender.json (other keys, e.g. the speed bench's, are kept).
 * Tuneline joins as one more contender (recommender-tuneline.ts): its scorer through runContender
 * on the same data, trained on the training ratings only, with EASE's validated λ for its EASE feature.
 */
import { relative } from 'node:path';
import { machineLabel, runCli } from './bench-cli';
import { mergeBenchJson } from './bench-json';
import { RECOMMENDER_FLAT_KEYS, recommenderQualityOptions } from './recommender-options';
import { baselineFlatKeys, metricsDetail, prepareQualityData, runBaselines } from './recommender-protocol';
import { runTuneline } from './recommender-tuneline';

const root = process.cwd();
const opts = runCli((argv) => recommenderQualityOptions(argv, root));
const log = (m: string) => process.stderr.write(`[recommender-quality] ${m}\n`);
const rel = (f: string) => relative(root, f);

async function main(): Promise<void> {
  const started = new Date();
  const t0 = performance.now();
  const data = prepareQualityData(opts, { trainMinRating: opts.trainMinRating });
  const prepareS = (performance.now() - t0) / 1000;
  const s = data.task.stats;
  log(`${data.catalog.length} items, ${data.train.length} training and ${data.test.length} test ratings; ${data.task.users.length} users evaluated `
    + `(${s.coldUsers} with a cold relevant item); ${data.droppedTags} tags dropped as test leaks; prepared in ${prepareS.toFixed(1)} s`);

  const baselines = runBaselines(data, { lambdas: opts.lambdas, knnK: opts.knnK, easeSolver: opts.easeSolver, log });
  // Tuneline's EASE feature uses the λ the baseline's validation search chose.
  const tuneline = await runTuneline(data, {
    encoder: opts.encoder, cacheDir: opts.embeddingCache, modelCache: opts.modelCache, log,
    fit: { state: { collaborative: { easeLambda: baselines.ease.search.best } } },
  });
  const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
  const totalS = (performance.now() - t0) / 1000;

  const command = `npx tsx --tsconfig tools/tsconfig.json tools/bench/recommender-quality.ts ${opts.flags}`;
  const text = mergeBenchJson(opts.out, {
    part: 'quality', command, date: started.toISOString(), machine: machineLabel(),
    flat: {
      tunelineNdcg10: r4(tuneline.metrics.ndcg10), tunelineHr10: r4(tuneline.metrics.hr10), tunelineRecall20: r4(tuneline.metrics.recall20),
      tunelineColdNdcg10: r4(tuneline.metrics.coldNdcg10), ...baselineFlatKeys(baselines),
    },
    nested: {
      details: {
        quality: {
          protocol: 'per-user temporal split (last 20% of each user\'s ratings by timestamp; ties by file order) unless --test; full ranking over '
            + 'every catalog item the user has not rated in training; relevant = test rating >= 3.5; users without a relevant test item are not '
            + 'evaluated; HR@10, NDCG@10 (binary gains), Recall@20 (hits / all relevant); cold NDCG@10 = the same ranking with only relevant test '
            + 'items that have < 5 training ratings counted, over users with one; ties in score go to the lower catalog index. Baselines train on '
            + 'their training ratings >= --train-min-rating as binary interactions (lower ones still count as seen); EASE\'s λ maximises NDCG@10 on a validation split (the last 20% of each user\'s '
            + 'training ratings) and is refitted on all training ratings.',
          data: {
            ratings: rel(opts.ratings), movies: rel(opts.movies), tags: opts.tags ? rel(opts.tags) : null, test: opts.test ? rel(opts.test) : null,
            items: data.catalog.length, trainRatings: data.train.length, testRatings: data.test.length, usersEvaluated: data.task.users.length,
            coldUsers: s.coldUsers, usersWithoutRelevant: s.usersWithoutRelevant, usersWithoutTrain: s.usersWithoutTrain,
            testUnknownItems: s.unknownItems, testSeenInTrain: s.seenInTrain, tagsDroppedAsTestLeaks: data.droppedTags,
            validationUsers: data.validationTask.users.length, trainMinRating: data.trainMinRating,
            trainInteractions: data.trainMatrix.indices.length,
          },
          popularity: metricsDetail(baselines.popularity),
          itemknn: { ...metricsDetail(baselines.itemknn), k: opts.knnK },
          ease: {
            ...metricsDetail(baselines.ease), lambda: baselines.ease.search.best, solver: baselines.ease.solver, solvedSize: baselines.ease.size,
            lambdaSearchS: Math.round(baselines.ease.searchS * 100) / 100,
            lambdaGrid: baselines.ease.search.points.map((p) => ({ lambda: p.lambda, ndcg10: Math.round(p.ndcg10 * 1e4) / 1e4 })),
          },
          tuneline: {
            ...metricsDetail(tuneline), encoder: opts.encoder, encoderSha256: tuneline.encoderSha256, embedS: Math.round(tuneline.embedS * 100) / 100,
            textsEncoded: tuneline.encoded, easeLambda: baselines.ease.search.best, fit: tuneline.report,
            method: 'retrieval (recency-weighted EASE top 200, sequence transitions 100, co-occurrence 50, profile embedding 50, text neighbours of '
              + 'the 50 latest liked items 50, trending 30) then an ensemble of 3 MLP ranking heads (listwise softmax per user, 20 epochs) over '
              + 'FEATURE_NAMES, merged into one ONNX-exportable head, trained on the training ratings only with a temporal split inside them '
              + '(features from each user\'s first 80%, labels = their later ratings >= 3.5); DEFAULT_RULES\' cold-item boost (+1); items not '
              + 'retrieved rank below every candidate',
          },
          prepareS: Math.round(prepareS * 100) / 100,
          totalS: Math.round(totalS * 100) / 100,
        },
      },
    },
  }, RECOMMENDER_FLAT_KEYS);
  process.stdout.write(text);
  log(`wrote ${rel(opts.out)} in ${totalS.toFixed(1)} s`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
