import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { z } from 'zod';

/**
 * ONNX Runtime's level-`all` optimised graph, persisted once per model version beside the
 * model, so a restart loads it at level `disabled` and skips graph optimisation. It is used
 * only after its outputs matched the original graph's on fixed texts (OPTIMIZED_GRAPH_TOLERANCE),
 * and only while the marker still names the source file (size and mtime), this ORT version and this CPU model
 * (a graph optimised by another ORT may hold kernels this one lacks).
 */
export const OPTIMIZED_GRAPH_FILE = 'model.ort-optimized.onnx';
export const OPTIMIZED_GRAPH_MARKER = 'model.ort-optimized.json';
/** Largest absolute difference allowed between original and optimised outputs. */
export const OPTIMIZED_GRAPH_TOLERANCE = 1e-4;

const markerSchema = z.object({
  /** `size:mtimeMs` of the source graph: a stat, where a sha256 of 130 MB would eat the time saved. */
  sourceFingerprint: z.string(),
  ortVersion: z.string(),
  /** ORT warns a level-`all` graph may hold kernels for this CPU only (NCHWc layouts, ISA-specific fusions). */
  cpu: z.string(),
  level: z.literal('all'),
  maxAbsDiff: z.number(),
});
export type OptimizedGraphMarker = z.infer<typeof markerSchema>;

function cpuModel(): string {
  return `${process.arch} ${cpus()[0]?.model ?? 'unknown'}`;
}

export function ortVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}

export interface OptimizedGraphPaths {
  readonly graph: string;
  readonly marker: string;
  /**
   * Where ORT writes the candidate before it is verified: unique per call (pid + random), so
   * loads that race never share one: two processes, two loads in one process, or containers
   * on a shared volume that all run as the same pid.
   */
  readonly candidate: string;
}

const CANDIDATE_INFIX = '.tmp-';

export function optimizedGraphPaths(onnxPath: string): OptimizedGraphPaths {
  const dir = dirname(onnxPath);
  const graph = join(dir, OPTIMIZED_GRAPH_FILE);
  return { graph, marker: join(dir, OPTIMIZED_GRAPH_MARKER), candidate: `${graph}${CANDIDATE_INFIX}${process.pid}-${randomBytes(4).toString('hex')}` };
}

/** A candidate lives for one load (seconds); one this old was left by a killed process. */
export const STALE_CANDIDATE_MS = 15 * 60_000;

/**
 * Deletes candidates (and marker temp files) older than `maxAgeMs` that killed loads left
 * beside the model: each is a whole graph (up to ~130 MB), and a crash-looping service would
 * otherwise add one per start. Best effort; by age, not pid, as the writer may be on another host.
 */
export async function sweepStaleCandidates(onnxPath: string, maxAgeMs = STALE_CANDIDATE_MS): Promise<void> {
  const dir = dirname(onnxPath);
  const prefixes = [OPTIMIZED_GRAPH_FILE, OPTIMIZED_GRAPH_MARKER].map((f) => `${f}${CANDIDATE_INFIX}`);
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names.filter((n) => prefixes.some((p) => n.startsWith(p)))) {
    const path = join(dir, name);
    const s = await stat(path).catch(() => undefined);
    if (s && Date.now() - s.mtimeMs > maxAgeMs) await rm(path, { force: true }).catch(() => undefined);
  }
}

/** The persisted graph's path when its marker matches the source model and this ORT; undefined otherwise. */
export async function cachedOptimizedGraph(onnxPath: string, fingerprint: string): Promise<string | undefined> {
  const paths = optimizedGraphPaths(onnxPath);
  if (!existsSync(paths.graph) || !existsSync(paths.marker)) return undefined;
  try {
    const marker = markerSchema.parse(JSON.parse(await readFile(paths.marker, 'utf8')));
    const fresh = marker.sourceFingerprint === fingerprint && marker.ortVersion === ortVersion() && marker.cpu === cpuModel()
      && marker.maxAbsDiff <= OPTIMIZED_GRAPH_TOLERANCE;
    return fresh ? paths.graph : undefined;
  } catch {
    return undefined; // unreadable marker: optimise again and overwrite it
  }
}

export async function sourceFingerprint(onnxPath: string): Promise<string> {
  const s = await stat(onnxPath);
  return `${s.size}:${s.mtimeMs}`;
}

/**
 * Keeps the candidate ORT wrote when `maxAbsDiff` is within tolerance (rename, then the
 * marker, so a crash in between leaves no marker and the graph is redone); deletes it otherwise.
 * Returns the persisted path, or undefined when rejected.
 */
export async function promoteOptimizedGraph(paths: OptimizedGraphPaths, fingerprint: string, maxAbsDiff: number): Promise<string | undefined> {
  if (!(maxAbsDiff <= OPTIMIZED_GRAPH_TOLERANCE)) {
    await rm(paths.candidate, { force: true });
    return undefined;
  }
  await rm(paths.marker, { force: true });
  await rename(paths.candidate, paths.graph);
  const marker: OptimizedGraphMarker = { sourceFingerprint: fingerprint, ortVersion: ortVersion(), cpu: cpuModel(), level: 'all', maxAbsDiff };
  // Written aside and renamed, so a process starting meanwhile never parses half a marker.
  const markerTmp = `${paths.marker}${paths.candidate.slice(paths.graph.length)}`; // same .tmp-<pid>-<random> suffix
  await writeFile(markerTmp, `${JSON.stringify(marker, null, 2)}\n`);
  await rename(markerTmp, paths.marker);
  return paths.graph;
}

export async function discardCandidate(paths: OptimizedGraphPaths): Promise<void> {
  await rm(paths.candidate, { force: true });
}

/** Removes the marker so the next start optimises and verifies again (its graph failed to load). */
export async function forgetOptimizedGraph(onnxPath: string): Promise<void> {
  await rm(optimizedGraphPaths(onnxPath).marker, { force: true }).catch(() => undefined);
}
