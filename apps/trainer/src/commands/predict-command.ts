import { Option, type Command } from 'commander';
import { openPredictor, PREDICT_CHUNK_SIZE, resolveTrainedModelDir, type Predictor } from '@tuneline/finetune';
import { addDatasetFieldOptions, datasetFieldsFrom, type DatasetFieldFlags } from '../dataset-field-options';
import { INPUT_FORMATS, openInput, readInputTexts, type InputFormat, type InputText } from '../input-texts';
import { writeJsonLine, type CliIO } from '../io';

export interface PredictCliOptions extends DatasetFieldFlags {
  readonly model: string;
  readonly file?: string;
  readonly format: InputFormat;
}

/** Scores rounded to 6 decimals keep output lines short; ranking is unaffected. */
const round6 = (p: number) => Math.round(p * 1e6) / 1e6;

async function flush(predictor: Predictor, batch: readonly InputText[], io: CliIO): Promise<void> {
  if (batch.length === 0) return;
  const predictions = await predictor.predict(batch.map((b) => b.text));
  batch.forEach((item, i) => {
    const p = predictions[i];
    if (!p) return;
    const scores = Object.fromEntries(Object.entries(p.scores).map(([k, v]) => [k, round6(v)]));
    writeJsonLine(io, {
      ...(item.id !== undefined ? { id: item.id } : {}),
      text: item.text,
      label: p.label,
      ...(predictor.task === 'multilabel' ? { labels: p.labels } : {}),
      scores,
    });
  });
}

async function runPredict(o: PredictCliOptions, io: CliIO): Promise<void> {
  const predictor = await openPredictor(resolveTrainedModelDir(o.model));
  try {
    const { stream, source } = await openInput(o.file, io.stdin);
    let batch: InputText[] = [];
    let count = 0;
    // Predict and print as input arrives, one inference call per 256 texts.
    try {
      for await (const item of readInputTexts(stream, source, o.format, { fields: datasetFieldsFrom(o) })) {
        batch.push(item);
        count++;
        if (batch.length === PREDICT_CHUNK_SIZE) {
          await flush(predictor, batch, io);
          batch = [];
        }
      }
    } finally {
      // Lines before a bad one are still answered; the error then stops the run.
      await flush(predictor, batch, io);
    }
    if (count === 0) io.stderr.write(`no texts in ${source}\n`);
  } finally {
    await predictor.dispose();
  }
}

export function registerPredictCommand(program: Command, io: CliIO): Command {
  const cmd = program
    .command('predict')
    .description('classify texts with a trained model: one JSON line {text, label, scores} per input line')
    .requiredOption('--model <dir>', 'model version directory, or <repo>/<name> for its latest version')
    .option('--file <file>', 'input file (.jsonl with "text", or plain text one per line); default: stdin')
    .addOption(new Option('--format <format>', 'input format; auto: .jsonl files and stdin starting with "{" are JSONL').choices(INPUT_FORMATS).default('auto'));
  // JSONL input has texts but no labels: only the text columns can be renamed.
  return addDatasetFieldOptions(cmd, false)
    .action((opts: PredictCliOptions) => runPredict(opts, io));
}
