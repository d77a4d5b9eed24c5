/**
 * A stacked bar with a legend: how a total is made of parts (the quota's base, spend and deposit).
 * Widths are proportions for the eye only; the amounts shown are the API's strings, untouched.
 */
import { toFen } from '../../utils/format';

export interface Segment {
  label: string;
  amount: string;
  note?: string;
  color?: string;
}

const PALETTE = ['#07c160', '#5ad08f', '#a8e6c3', '#d7f3e3'];

function layout(segments: Segment[]): (Segment & { width: string; color: string })[] {
  const fens = segments.map((s) => Math.max(0, toFen(s.amount)));
  const total = fens.reduce((a, b) => a + b, 0);
  return segments.map((s, i) => ({
    ...s,
    color: s.color ?? PALETTE[i % PALETTE.length],
    width: total > 0 ? `${((fens[i] / total) * 100).toFixed(2)}%` : '0%',
  }));
}

Component({
  properties: {
    segments: { type: Array, value: [] },
  },
  data: { items: [] as (Segment & { width: string; color: string })[] },
  observers: {
    segments(segments: Segment[]) {
      this.setData({ items: layout(segments ?? []) });
    },
  },
  lifetimes: {
    attached() {
      this.setData({ items: layout((this.data.segments as Segment[]) ?? []) });
    },
  },
});
