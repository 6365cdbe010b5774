import { Construct } from 'constructs';
import { Application, ApplicationSpecIgnoreDifferences, ApplicationSpecSource } from '../../../imports/application-argoproj.io';
import { objectLabels } from '../common/labels';
import { RESOURCES_FINALIZER, syncWave } from '../../catalog/argocd';
import { Destination } from './project';

/**
 * Retries of a failed sync: on a first install a wave waits for CRDs, operators, volumes and image
 * pulls, and Argo CD does not retry an automated sync of the same commit once the retries are
 * spent (argo-cd v3.5.1 docs/user-guide/auto_sync.md:143-144); 10 retries backing off from 10 s,
 * doubling up to 5 minutes, cover about half an hour. `refresh` starts over on a new commit instead
 * of retrying the old one (auto_sync.md:117-131). The README quotes these numbers
 * (test/argocd/readme.test.ts keeps them equal).
 */
export const RETRY_LIMIT = 10;
export const RETRY_BACKOFF = { duration: '10s', factor: 2, maxDuration: '5m' } as const;

export interface ArgoApplicationProps {
  readonly name: string;
  readonly instanceId: string;
  readonly project: string;
  /** Root-level sync wave (lib/charts/waves.ts). */
  readonly wave: number;
  readonly source: ApplicationSpecSource;
  readonly destination: Destination;
  /** Argo CD sync options, e.g. `CreateNamespace=true`. */
  readonly syncOptions: readonly string[];
  /** Delete the Application's resources when the Application is deleted. @default true */
  readonly cascadeDelete?: boolean;
  /** Further labels of the Application object. @default none */
  readonly labels?: Readonly<Record<string, string>>;
  /** Further annotations of the Application object (e.g. `PRUNE_PROTECTED`). @default none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Fields the diff ignores (and, with `RespectIgnoreDifferences=true`, the sync too). @default none */
  readonly ignoreDifferences?: readonly ApplicationSpecIgnoreDifferences[];
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
        labels: objectLabels(props.instanceId, 'argocd', props.labels),
        annotations: { ...syncWave(props.wave), ...props.annotations },
        finalizers: cascadeDelete ? [RESOURCES_FINALIZER] : undefined,
      },
      spec: {
        project: props.project,
        source: props.source,
        destination: { ...props.destination },
        ignoreDifferences: props.ignoreDifferences?.length ? [...props.ignoreDifferences] : undefined,
        syncPolicy: {
          automated: { prune: true, selfHeal: true },
          syncOptions: [...props.syncOptions],
          retry: { limit: RETRY_LIMIT, backoff: { ...RETRY_BACKOFF }, refresh: true },
        },
      },
    });
  }
}
