/** Row shapes per task, as read from CSV or JSONL. */
export type TaskKind = 'classify' | 'multilabel' | 'pair' | 'rank';

export interface ClassifyExample { readonly id: string; readonly text: string; readonly label: string; readonly line: number }
export interface MultiLabelExample { readonly id: string; readonly text: string; readonly labels: readonly string[]; readonly line: number }
export interface PairExample { readonly id: string; readonly textA: string; readonly textB: string; readonly label: string; readonly line: number }
export interface RankExample { readonly id: string; readonly user: string; readonly itemText: string; readonly label: number; readonly line: number }

export interface ExamplesByTask {
  classify: ClassifyExample;
  multilabel: MultiLabelExample;
  pair: PairExample;
  rank: RankExample;
}

export const TASK_KINDS: readonly TaskKind[] = ['classify', 'multilabel', 'pair', 'rank'];
