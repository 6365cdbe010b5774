import { Construct } from 'constructs';
import { Application, ApplicationSpecSource } from '../../imports/application-argoproj.io';
import { objectLabels } from '../mastodon/labels';
import { RESOURCES_FINALIZER, syncWave } from './annotations';

/**
 * Failed syncs are retried with exponential backoff: 5 s, 10 s, 20 s… up to 3 minutes, 5 times.
 * This rides out the first sync, when CRDs and webhooks of the operators are still coming up.
 */
/**
 * Retries of a failed sync: on a first install a wave waits for CRDs, operators, volumes and image
 * pulls, and Argo CD does not retry an automated sync of the same commit once the retries are
 * spent; 10 retries backing off to 5 minutes cover about half an hour.
 */
const RETRY_LIMIT = 10;
const RETRY_BACKOFF = { duration: '10s', factor: 2, maxDuration: '5m' };

export interface ArgoApplicationProps {
  readonly name: string;
  readonly instanceId: string;
  readonly project: string;
  /** Root-level sync wave (see ./waves.ts). */
  readonly wave: number;
  readonly source: ApplicationSpecSource;
  readonly destination: { readonly server: string; readonly namespace: string };
  /** Argo CD sync options, e.g. `CreateNamespace=true`. */
  readonly syncOptions: readonly string[];
  /** Delete the Application's resources when the Application is deleted. @default true */
  readonly cascadeDelete?: boolean;
}

/**
 * An Argo CD Application under automated sync: it prunes what left Git, reverts drift (self-heal)
 * and retries failed syncs.
 * @see https://argo-cd.readthedocs.io/en/stable/user-guide/auto_sync/
 */
export class ArgoApplication extends Construct {
  public readonly application: Application;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: ArgoApplicationProps) {
    super(scope, id);
    const cascadeDelete = props.cascadeDelete ?? true;
    this.name = props.name;
    this.application = new Application(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: objectLabels(props.instanceId, 'argocd'),
        annotations: syncWave(props.wave),
        finalizers: cascadeDelete ? [RESOURCES_FINALIZER] : undefined,
      },
      spec: {
        project: props.project,
        source: props.source,
        destination: { ...props.destination },
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [...props.syncOptions],
          retry: { limit: RETRY_LIMIT, backoff: RETRY_BACKOFF },
        },
      },
    });
  }
}
