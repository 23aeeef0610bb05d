/**
 * Answer-template syntax, compiled once at load time:
 *   {slot}           the slot's value;
 *   {slot|fallback}  the value, or the fallback text when the slot is missing;
 *   [ ... ]          an optional segment, dropped when a slot inside it is missing
 *                    (and has no fallback). Segments do not nest.
 * A bare {slot} outside a segment would leave a hole, so compiling rejects it: every
 * filled template reads as a whole sentence whatever slots are known.
 */
import { SupportContentError } from '../errors';
import type { SlotValues } from '../slots/slot-values';

type Piece = { kind: 'text'; text: string } | { kind: 'slot'; name: string; fallback?: string };
interface Segment {
  readonly optional: boolean;
  readonly pieces: readonly Piece[];
}

export interface CompiledTemplate {
  readonly source: string;
  readonly segments: readonly Segment[];
  /** Every slot the template can use. */
  readonly slots: readonly string[];
}

export interface FilledTemplate {
  readonly text: string;
  readonly usedSlots: readonly string[];
  /** Slots the template could use but the message and session did not provide. */
  readonly missingSlots: readonly string[];
}

const SLOT_NAME = /^[a-z][a-z0-9_]*$/;

function parsePieces(text: string, where: string): Piece[] {
  const pieces: Piece[] = [];
  let rest = text;
  while (rest.length > 0) {
    const open = rest.indexOf('{');
    const stray = rest.indexOf('}');
    if (stray >= 0 && (open < 0 || stray < open)) throw new SupportContentError(`unmatched "}" in "${text}"`, where);
    if (open < 0) {
      pieces.push({ kind: 'text', text: rest });
      break;
    }
    if (open > 0) pieces.push({ kind: 'text', text: rest.slice(0, open) });
    const close = rest.indexOf('}', open);
    if (close < 0) throw new SupportContentError(`unclosed "{" in "${text}"`, where);
    const [name = '', ...fallback] = rest.slice(open + 1, close).split('|');
    if (!SLOT_NAME.test(name.trim())) throw new SupportContentError(`bad slot name "${name}" in "${text}"`, where);
    pieces.push({ kind: 'slot', name: name.trim(), ...(fallback.length > 0 ? { fallback: fallback.join('|') } : {}) });
    rest = rest.slice(close + 1);
  }
  return pieces;
}

export function compileTemplate(source: string, where = 'template'): CompiledTemplate {
  if (typeof source !== 'string' || source.trim() === '') throw new SupportContentError('template is empty', where);
  const segments: Segment[] = [];
  let rest = source;
  while (rest.length > 0) {
    const open = rest.indexOf('[');
    const stray = rest.indexOf(']');
    if (stray >= 0 && (open < 0 || stray < open)) throw new SupportContentError(`unmatched "]" in "${source}"`, where);
    if (open < 0) {
      segments.push({ optional: false, pieces: parsePieces(rest, where) });
      break;
    }
    if (open > 0) segments.push({ optional: false, pieces: parsePieces(rest.slice(0, open), where) });
    const close = rest.indexOf(']', open);
    if (close < 0) throw new SupportContentError(`unclosed "[" in "${source}"`, where);
    const inner = rest.slice(open + 1, close);
    if (inner.includes('[')) throw new SupportContentError(`optional segments do not nest: "${source}"`, where);
    segments.push({ optional: true, pieces: parsePieces(inner, where) });
    rest = rest.slice(close + 1);
  }
  for (const s of segments) {
    const bare = s.pieces.find((p) => p.kind === 'slot' && !s.optional && p.fallback === undefined);
    if (bare?.kind === 'slot') {
      throw new SupportContentError(`{${bare.name}} needs a fallback ({${bare.name}|...}) or an optional [segment]`, where);
    }
  }
  const slots = [...new Set(segments.flatMap((s) => s.pieces.flatMap((p) => (p.kind === 'slot' ? [p.name] : []))))];
  return { source, segments, slots };
}

export function fillTemplate(template: CompiledTemplate, values: SlotValues): FilledTemplate {
  const used = new Set<string>();
  let text = '';
  for (const segment of template.segments) {
    const complete = segment.pieces.every((p) => p.kind === 'text' || values[p.name] !== undefined || p.fallback !== undefined);
    if (!complete) continue;
    for (const p of segment.pieces) {
      if (p.kind === 'text') text += p.text;
      else if (values[p.name] !== undefined) {
        text += values[p.name];
        used.add(p.name);
      } else text += p.fallback ?? '';
    }
  }
  const usedSlots = [...used];
  return {
    // Dropping a segment can leave doubled spaces or a space before punctuation.
    text: text.replace(/[ \t]{2,}/g, ' ').replace(/ ([.,;:!?])/g, '$1').trim(),
    usedSlots,
    missingSlots: template.slots.filter((s) => !used.has(s)),
  };
}
