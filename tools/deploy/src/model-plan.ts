/**
 * The model-fetch Job's script and the init containers' wait list, from libs/inference's
 * catalog: the same pinned jars, sha256s and layout as `npm run models:fetch`
 * (<cache>/models/<name>/<version>/ with model.onnx, tokenizer.json, config.json, .verified),
 * so the services resolve them exactly as in development. Generated into
 * deploy/base/models/model-catalog.yaml (generate.ts); a spec checks the committed file.
 */
import { BERT_INPUT_NAMES, MODEL_CONFIG_FILE, findCatalogEntry, type CatalogEntry } from '@tuneline/inference';

/** Catalog aliases the cluster fetches: the services' TUNELINE_MODEL default. */
export const CLUSTER_MODELS = ['default'] as const;

export function clusterEntries(): CatalogEntry[] {
  return CLUSTER_MODELS.map((alias) => {
    const entry = findCatalogEntry(alias);
    if (!entry) throw new Error(`catalog has no model "${alias}"`);
    return entry;
  });
}

/** `<name>/<version>` of each model, as the init containers wait for them. */
export function waitList(entries: readonly CatalogEntry[]): string {
  return entries.map((e) => `${e.name}/${e.maven.version}`).join(',');
}

function modelConfig(e: CatalogEntry): string {
  const { groupId, artifactId, version } = e.maven;
  return JSON.stringify({
    format: 'tuneline-model/v1', task: 'embedding', outputKind: 'token_embeddings', outputName: 'last_hidden_state',
    inputNames: [...BERT_INPUT_NAMES], pooling: e.pooling, normalize: e.normalize, maxLength: e.maxLength, dimension: e.dimension,
    source: { catalog: e.name, upstream: e.upstream, maven: `${groupId}:${artifactId}:${version}`, sha256: e.files.onnx.sha256 },
  }, null, 2);
}

/** POSIX sh run by the Job (maven image): fetch, verify, extract, verify, then mark verified (atomic rename). */
export function fetchScript(entries: readonly CatalogEntry[]): string {
  const lines = [
    'set -eu',
    'root=/models/cache/models',
    'mkdir -p "$root/_jars"',
    'check() { echo "$1  $2" | sha256sum -c - >/dev/null || { echo "checksum mismatch: $2" >&2; exit 1; }; }',
  ];
  for (const e of entries) {
    const { groupId, artifactId, version, sha256 } = e.maven;
    const dir = `"$root/${e.name}/${version}"`;
    lines.push(
      `if [ "$(cat ${dir}/.verified 2>/dev/null)" = "${e.files.onnx.sha256}" ]; then echo "${e.name}@${version} already verified"; else`,
      `  mvn -q -B -Dmaven.repo.local=/tmp/m2 dependency:copy -Dartifact=${groupId}:${artifactId}:${version} -DoutputDirectory="$root/_jars"`,
      `  jar="$root/_jars/${artifactId}-${version}.jar"; check ${sha256} "$jar"`,
      `  tmp=${dir.slice(0, -1)}.tmp-$$"; rm -rf "$tmp"; mkdir -p "$tmp/x"; (cd "$tmp/x" && jar xf "$jar")`,
      `  mv "$(find "$tmp/x" -name '${e.files.onnx.entry}')" "$tmp/model.onnx"; check ${e.files.onnx.sha256} "$tmp/model.onnx"`,
      `  mv "$(find "$tmp/x" -name '${e.files.tokenizer.entry}')" "$tmp/tokenizer.json"; check ${e.files.tokenizer.sha256} "$tmp/tokenizer.json"`,
      `  rm -rf "$tmp/x"; cat > "$tmp/${MODEL_CONFIG_FILE}" <<'JSON'`,
      modelConfig(e),
      'JSON',
      `  echo ${e.files.onnx.sha256} > "$tmp/.verified"; rm -rf ${dir}; mv "$tmp" ${dir}; echo "${e.name}@${version} ready"`,
      'fi',
    );
  }
  lines.push('mkdir -p /models/repo');
  return lines.join('\n') + '\n';
}
