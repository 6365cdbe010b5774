import { App, Chart } from 'cdk8s';
import { LoadedInstance } from '../lib/config/types';
import { MastodonChart } from './mastodon-chart';

/** The charts of one instance; each renders into `dist/<instance>/<chart id>/`. */
export interface InstanceCharts {
  readonly mastodon: MastodonChart;
  /** Every chart, in render order. */
  readonly all: readonly Chart[];
}

/** Builds every chart of one instance into `app`. */
export function buildInstance(app: App, loaded: LoadedInstance): InstanceCharts {
  const mastodon = new MastodonChart(app, 'mastodon', { loaded });
  return { mastodon, all: [mastodon] };
}
