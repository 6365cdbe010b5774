import { App, Chart } from 'cdk8s';
import { LoadedInstance } from '../lib/config/types';
import { RequiredSecret, uniqueSecrets } from '../lib/mastodon/env-builder';
import { MastodonChart } from './mastodon-chart';
import { OperationsChart } from './operations-chart';

/** The charts of one instance; each renders into `dist/<instance>/<chart id>/`. */
export interface InstanceCharts {
  readonly mastodon: MastodonChart;
  readonly operations: OperationsChart;
  /** Every chart, in render order. */
  readonly all: readonly Chart[];
  /** Every Secret key the instance references (for SECRETS.md). */
  readonly requiredSecrets: readonly RequiredSecret[];
}

/** Builds every chart of one instance into `app`. */
export function buildInstance(app: App, loaded: LoadedInstance): InstanceCharts {
  const mastodon = new MastodonChart(app, 'mastodon', { loaded });
  const operations = new OperationsChart(app, 'operations', { loaded });
  return {
    mastodon,
    operations,
    all: [mastodon, operations],
    requiredSecrets: uniqueSecrets([...mastodon.env.model.requiredSecrets, ...operations.requiredSecrets]),
  };
}
