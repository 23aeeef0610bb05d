/** A knowledge-base article as authored (Markdown with front matter, or JSON). */
export interface Article {
  /** Stable id; passage ids derive from it. [a-z0-9-] by convention. */
  readonly id: string;
  readonly title: string;
  /** Intent labels the article answers (may be empty: retrieval-only content). */
  readonly intents: readonly string[];
  /** Markdown body: `#`-headings start sections, blank lines separate paragraphs. */
  readonly body: string;
}

/** A retrievable piece of an article: one section's paragraphs up to a size limit. */
export interface Passage {
  /** `<articleId>#<n>`, n counting from 0 in article order. */
  readonly id: string;
  readonly articleId: string;
  readonly title: string;
  /** Heading of the section the passage sits in ("" before the first heading). */
  readonly heading: string;
  /** Text shown to the user and cited. */
  readonly text: string;
  /** What gets embedded: title and heading give a short passage its context. */
  readonly embedText: string;
  readonly intents: readonly string[];
}

export interface ScoredPassage {
  readonly passage: Passage;
  /** Cosine similarity with the query, in [-1, 1]. */
  readonly score: number;
}
