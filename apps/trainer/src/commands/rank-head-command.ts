import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { Encoder, resolveModelDir, sha256File } from '@tuneline/inference';
import {
  ItemCatalog,
  RECOMMEND_SAMPLES_DIR,
  RecommendDataError,
  loadMovieLens,
  movieLensFilesIn,
  trainRankingHead,
  type CatalogItem,
  type MovieLensFiles,
} from '@tuneline/recommend';
import { writeJsonLine, type CliIO } from '../io';
import { brokersOption, modelNameOption } from '../options';
import { publishModel, type PublishResult } from '../publish';
import { rankingCardOf } from '../rank/ranking-card';

/** The recommender's default head name (RECOMMEND_MODEL). */
export const DEFAULT_RANKER_NAME = 'recommend-ranker';

export interface RankHeadCliOptions {
  /** Default: the shipped sample (resolved when the command runs, not when the CLI starts). */
  readonly data?: MovieLensFiles;
  readonly base: string;
  readonly out: string;
  readonly name: string;
  readonly cache: boolean;
  readonly publish?: boolean;
  readonly brokers: string;
  readonly topic?: string;
}

/** `--data`: a MovieLens-layout directory, checked before any model loads (exit 2 with the reason). */
export function movieLensDirOption(value: string): MovieLensFiles {
  try {
    return movieLensFilesIn(resolve(value));
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** Embeds the catalog with the encoder the recommender serves with: the head's similarity features come from it. */
async function openCatalog(o: RankHeadCliOptions, items: readonly CatalogItem[], io: CliIO) {
  const encoderDir = resolveModelDir(o.base, { TUNELINE_CACHE: io.config.cacheRoot });
  const encoder = await Encoder.load(encoderDir, { name: 'rank-head-item-encoder' });
  try {
    const [probe] = await encoder.embed(['dimension probe']);
    const catalog = await ItemCatalog.open({
      embed: (texts) => encoder.embed(texts),
      dim: probe?.length ?? 0,
      encoderChecksum: await sha256File(join(encoderDir, 'model.onnx')),
      ...(o.cache ? { cacheDir: io.config.cacheRoot } : {}),
    });
    await catalog.upsertMany(items);
    return { catalog, encoderDir };
  } finally {
    await encoder.dispose();
  }
}

async function runRankHead(o: RankHeadCliOptions, io: CliIO): Promise<void> {
  const started = Date.now();
  const data = o.data ?? movieLensDirOption(RECOMMEND_SAMPLES_DIR);
  // The data is read (and refused) before the encoder loads: a bad file fails in milliseconds.
  const { catalog: items, ratings: interactions } = loadMovieLens(data);
  if (interactions.length === 0) throw new RecommendDataError(resolve(data.movies, '..'), 0, 'no ratings.csv (or an empty one): the head learns from ratings');
  const { catalog, encoderDir } = await openCatalog(o, items, io);
  io.stderr.write(`catalog: ${catalog.size} items embedded with ${encoderDir}; training on ${interactions.length} interactions\n`);
  const source = resolve(data.movies, '..');
  const trained = await trainRankingHead({
    repoRoot: resolve(o.out), name: o.name, catalog, interactions, source,
    fit: { log: (m) => io.stderr.write(`${m}\n`) },
  });
  const card = rankingCardOf(trained.card);
  if (!card) throw new Error(`${trained.dir}: the written model-card.json is not a ranking card (a bug)`);
  io.stderr.write(`ranking head written to ${trained.dir}\n`);
  let published: PublishResult | undefined;
  if (o.publish === true) {
    try {
      published = await publishModel({ brokers: o.brokers, dir: trained.dir, card, labels: [], ...(o.topic ? { topic: o.topic } : {}) });
    } catch (err) {
      throw new Error(`ranking head written to ${trained.dir}, but publishing to ${o.brokers} failed: ${(err as Error).message}; ` +
        `retry with \`tuneline publish --model ${trained.dir} --brokers ${o.brokers}\``, { cause: err });
    }
    io.stderr.write(`published ${card.name} v${card.version} to ${published.topic} (partition ${published.partition}, offset ${published.offset})\n`);
  }
  writeJsonLine(io, {
    dir: trained.dir, name: card.name, version: card.version, task: card.task, metrics: card.metrics,
    items: catalog.size, interactions: interactions.length, seconds: (Date.now() - started) / 1000,
    published: published ? { topic: published.topic, partition: published.partition, offset: published.offset } : false,
  });
}

export function registerRankHeadCommand(program: Command, io: CliIO): Command {
  return program
    .command('rank-head')
    .description('train the recommender\'s ranking head (libs/recommend) on a MovieLens-layout directory and write it as a new model version')
    .option('--data <dir>', 'MovieLens-layout directory: movies.csv, ratings.csv, tags.csv (default: the shipped sample, libs/recommend/samples)', movieLensDirOption)
    .option('--base <model>', 'item text encoder, the one the recommender serves with (RECOMMEND_ENCODER): catalog alias or a model directory', 'default')
    .requiredOption('--out <dir>', 'model repository; the head goes to <dir>/<name>/<next version>/')
    .option('--name <name>', 'model name (directory and Kafka key)', modelNameOption, DEFAULT_RANKER_NAME)
    .option('--no-cache', 'do not read or write the item embedding cache')
    .option('--publish', 'send a model.published event to Kafka after writing the head')
    .option('--brokers <list>', 'Kafka brokers host:port[,host:port] (from $KAFKA_BROKERS when set)', brokersOption, io.config.brokers)
    .option('--topic <name>', 'topic to publish to (default model.published; tests use their own)')
    .action((opts: RankHeadCliOptions) => runRankHead(opts, io));
}
