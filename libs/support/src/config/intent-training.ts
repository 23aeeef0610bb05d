/**
 * How support-chat trains its intent model (first start, and the `tuneline finetune` command
 * docs/support-chat.md gives): the classifier blends a k-nearest-exemplar vote over the
 * training messages into its confidence. On Banking77 this raised precision of answered turns
 * at 0.90 coverage (docs/adr/0022-exemplar-vote-in-the-classifier-graph.md). The shape is
 * libs/finetune's ExemplarOptions; written out here so the policy lib does not import training code.
 */
export interface IntentExemplarOptions {
  readonly k: number;
  readonly temperature: number;
  readonly weight: number;
}

export const SUPPORT_INTENT_EXEMPLARS: IntentExemplarOptions = { k: 10, temperature: 0.02, weight: 0.5 };
