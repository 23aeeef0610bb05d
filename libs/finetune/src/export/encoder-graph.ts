import { readFile } from 'node:fs/promises';
import { onnx } from 'onnx-proto';

/**
 * Preflight of a base encoder graph: the fusion step appends pooling and the head to it,
 * so anything that would make that fail (an opset we cannot emit for, a missing input, a
 * hidden width other than the head's) is refused before minutes of embedding and training.
 */

/** Lowest and highest default-domain opsets the fused nodes are emitted (and tested) for. */
export const MIN_ENCODER_OPSET = 11;
export const MAX_ENCODER_OPSET = 21;
export const DEFAULT_ENCODER_OUTPUT = 'last_hidden_state';

/** The base graph cannot be fused: wrong opset, inputs or output shape. */
export class EncoderGraphError extends Error {
  readonly code = 'INVALID_ARGUMENT';
  readonly retriable = false;
  constructor(readonly modelPath: string, reason: string) {
    super(`${modelPath}: ${reason}`);
    this.name = 'EncoderGraphError';
  }
}

export interface EncoderGraphInfo {
  /** Default-domain ('' or 'ai.onnx') opset. */
  readonly opset: number;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Last dimension of the encoder output when the graph states it; undefined when symbolic. */
  readonly hiddenWidth: number | undefined;
}

export interface EncoderExpectations {
  readonly pooling: 'cls' | 'mean';
  readonly encoderOutput?: string;
  /** Width the head takes (embedding dimension); checked when the graph states its width. */
  readonly hiddenWidth?: number;
}

export function describeEncoderGraph(model: onnx.IModelProto, encoderOutput = DEFAULT_ENCODER_OUTPUT): EncoderGraphInfo {
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  // Older exporters list initializers among the inputs too; they are weights, not feeds.
  const inputNames = (graph.input ?? []).map((v) => v.name ?? '').filter((n) => n && !initializers.has(n));
  const outputs = graph.output ?? [];
  const dims = outputs.find((v) => v.name === encoderOutput)?.type?.tensorType?.shape?.dim ?? [];
  const last = dims[dims.length - 1];
  const width = last?.dimValue !== undefined && last.dimValue !== null ? Number(last.dimValue) : undefined;
  return {
    opset: opsetEntry?.version !== undefined && opsetEntry.version !== null ? Number(opsetEntry.version) : 0,
    inputNames,
    outputNames: outputs.map((v) => v.name ?? ''),
    hiddenWidth: width !== undefined && width > 0 ? width : undefined,
  };
}

/** Throws EncoderGraphError naming what is wrong and what was found. */
export function checkEncoderGraph(modelPath: string, info: EncoderGraphInfo, expect: EncoderExpectations): void {
  const output = expect.encoderOutput ?? DEFAULT_ENCODER_OUTPUT;
  if (!(info.opset >= MIN_ENCODER_OPSET && info.opset <= MAX_ENCODER_OPSET)) {
    throw new EncoderGraphError(modelPath, `opset ${info.opset || '(none)'} is not supported for fusion; ` +
      `supported default-domain opsets are ${MIN_ENCODER_OPSET}..${MAX_ENCODER_OPSET} (re-export the encoder with one of them)`);
  }
  if (!info.inputNames.includes('input_ids')) {
    throw new EncoderGraphError(modelPath, `graph has no "input_ids" input (inputs: ${info.inputNames.join(', ') || 'none'})`);
  }
  if (expect.pooling === 'mean' && !info.inputNames.includes('attention_mask')) {
    throw new EncoderGraphError(modelPath, `mean pooling needs an "attention_mask" input; the graph has ${info.inputNames.join(', ') || 'none'}`);
  }
  if (!info.outputNames.includes(output)) {
    throw new EncoderGraphError(modelPath, `graph has no output "${output}" (outputs: ${info.outputNames.join(', ') || 'none'})`);
  }
  if (expect.hiddenWidth !== undefined && info.hiddenWidth !== undefined && info.hiddenWidth !== expect.hiddenWidth) {
    throw new EncoderGraphError(modelPath, `output "${output}" is ${info.hiddenWidth} wide, but the head takes ${expect.hiddenWidth}`);
  }
}

/** Reads the encoder graph and checks it can be fused; returns what it found. */
export async function preflightEncoder(modelPath: string, expect: EncoderExpectations): Promise<EncoderGraphInfo> {
  const model = onnx.ModelProto.decode(await readFile(modelPath));
  const info = describeEncoderGraph(model, expect.encoderOutput);
  checkEncoderGraph(modelPath, info, expect);
  return info;
}
