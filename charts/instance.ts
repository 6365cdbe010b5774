import { App, Chart } from 'cdk8s';
import { LoadedInstance } from '../lib/config/types';
import { ArgoCdChart } from './argocd-chart';
import { MastodonChart } from './mastodon-chart';

/** The charts of one instance; each renders into `dist/<instance>/<chart id>/`. */
export interface InstanceCharts {
  readonly mastodon: MastodonChart;
  readonly argocd: ArgoCdChart;
  /** Every chart, in render order. */
  readonly all: readonly Chart[];
}

/** Builds every chart of one instance into `app`. */
export function buildInstance(app: App, loaded: LoadedInstance): InstanceCharts {
  const mastodon = new MastodonChart(app, 'mastodon', { loaded });
  // The charts Argo CD syncs, one child Application each (waves in lib/argocd/waves.ts).
  const synced: Chart[] = [mastodon];
  const argocd = new ArgoCdChart(app, 'argocd', { loaded, charts: synced });
  return { mastodon, argocd, all: [...synced, argocd] };
}
