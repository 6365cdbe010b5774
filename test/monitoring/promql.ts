import { parser } from '@prometheus-io/lezer-promql';

/** Offsets of the parser's error nodes in `expr` (none: it parses). @prometheus-io/lezer-promql is the grammar of Prometheus' web UI. */
export function promqlErrors(expr: string): number[] {
  const at: number[] = [];
  parser.parse(expr).iterate({ enter: (n) => { if (n.type.isError) at.push(n.from); } });
  return at;
}

/** The metric names an expression selects (the Identifier of each VectorSelector). */
export function metricNames(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (n) => { if (n.type.name === 'Identifier' && n.node.parent?.type.name === 'VectorSelector') names.push(expr.slice(n.from, n.to)); },
  });
  return names;
}

/** Every rule of the rendered PrometheusRules, with its object's name. */
export const rulesOf = (all: Map<string, any>): any[] => [...all.values()].filter((o) => o.kind === 'PrometheusRule')
  .flatMap((r) => r.spec.groups.flatMap((g: any) => g.rules.map((rule: any) => ({ object: r.metadata.name, ...rule }))));

/** Each selector's metric name and the label names it matches on. */
export function selectors(expr: string): { metric: string; labels: string[] }[] {
  const out: { metric: string; labels: string[] }[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.name !== 'VectorSelector') return;
      const id = n.node.getChild('Identifier');
      const labels: string[] = [];
      n.node.cursor().iterate((c) => { if (c.type.name === 'LabelName') labels.push(expr.slice(c.from, c.to)); });
      out.push({ metric: id ? expr.slice(id.from, id.to) : '', labels });
    },
  });
  return out;
}
