import { Construct } from 'constructs';
import {
  ExternalSecret as ExternalSecretResource,
  ExternalSecretSpecDataFromSourceRefGeneratorRefKind,
  ExternalSecretSpecRefreshPolicy,
  ExternalSecretSpecSecretStoreRefKind,
  ExternalSecretSpecTargetCreationPolicy,
  ExternalSecretSpecTargetDeletionPolicy,
} from '../../../imports/externalsecret-external-secrets.io';
import { PRUNE_PROTECTED } from '../../catalog/argocd';
import { GENERATOR_API_VERSION } from '../../catalog/external-secrets';
import { objectLabels } from '../common/labels';

/** A Secret key read from the store: `<remoteKey>`, property `<property>`. */
export interface StoreKey {
  readonly secretKey: string;
  readonly remoteKey: string;
  readonly property: string;
}

export interface ExternalSecretProps {
  readonly instanceId: string;
  /** The ExternalSecret's and its Secret's name. */
  readonly name: string;
  /** @default the chart's namespace */
  readonly namespace?: string;
  /** Keys read from the store. @default none */
  readonly storeKeys?: readonly StoreKey[];
  /** The store they are read from; required with storeKeys. @default none: generated keys only */
  readonly store?: { readonly kind: 'SecretStore' | 'ClusterSecretStore'; readonly name: string };
  /** `Password` generators in the same namespace whose keys it merges in. @default none */
  readonly generators?: readonly string[];
  /** How often store keys are read again; unused when generators are set (they refresh once). */
  readonly refreshInterval: string;
}

/**
 * One ExternalSecret making one Secret (`creationPolicy: Owner`: the Secret is the ExternalSecret's
 * and goes with it). Keys are listed one by one (`data[]`, never `dataFrom.extract`), so what the
 * Secret will hold is known before the sync and checked against what the pods read.
 *
 * With a generator it refreshes once (`CreatedOnce`): a `Periodic` refresh would generate new
 * values every interval (lib/catalog/external-secrets.ts). Deleting it would delete the Secret and
 * generate new values at the next sync, so Argo CD prunes or deletes it only when someone confirms.
 */
export class ExternalSecret extends Construct {
  public readonly resource: ExternalSecretResource;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    const storeKeys = props.storeKeys ?? [];
    const generators = props.generators ?? [];
    if (storeKeys.length > 0 && !props.store) throw new Error(`ExternalSecret ${props.name}: store keys need a store`);
    const generated = generators.length > 0;
    this.resource = new ExternalSecretResource(this, 'Resource', {
      metadata: {
        name: props.name,
        ...(props.namespace ? { namespace: props.namespace } : {}),
        labels: objectLabels(props.instanceId, 'secrets'),
        ...(generated ? { annotations: { ...PRUNE_PROTECTED } } : {}),
      },
      spec: {
        ...(storeKeys.length > 0 && props.store ? { secretStoreRef: { kind: props.store.kind as ExternalSecretSpecSecretStoreRefKind, name: props.store.name } } : {}),
        target: { name: props.name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER, deletionPolicy: ExternalSecretSpecTargetDeletionPolicy.RETAIN },
        ...(generated
          ? { refreshPolicy: ExternalSecretSpecRefreshPolicy.CREATED_ONCE }
          : { refreshPolicy: ExternalSecretSpecRefreshPolicy.PERIODIC, refreshInterval: props.refreshInterval }),
        ...(storeKeys.length > 0 ? { data: storeKeys.map((k) => ({ secretKey: k.secretKey, remoteRef: { key: k.remoteKey, property: k.property } })) } : {}),
        ...(generated ? {
          dataFrom: generators.map((name) => ({
            sourceRef: { generatorRef: { apiVersion: GENERATOR_API_VERSION, kind: ExternalSecretSpecDataFromSourceRefGeneratorRefKind.PASSWORD, name } },
          })),
        } : {}),
      },
    });
  }
}
