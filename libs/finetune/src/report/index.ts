export { lineChartSvg, type LineChartOptions, type LineSeries } from './line-chart';
export { confusionMatrixSvg, confusionLayout, MIN_CELL_FOR_COUNTS, type ConfusionChartOptions, type ConfusionLayout } from './confusion-chart';
export { renderPng, PNG_SIGNATURE, type RenderPngOptions } from './render-png';
export {
  REPORT_FILES,
  lossChartSvg,
  metricsChartSvg,
  confusionChartSvg,
  trainingReportMarkdown,
  writeTrainingReport,
  type ReportFiles,
} from './training-report';
