import { Construct } from 'constructs';
import { TriggerAuthentication } from '../../../imports/triggerauthentication-keda.sh';
import { SecretKeyRef } from '../../core/env';
import { objectLabels } from '../common/labels';

export interface RedisTriggerAuthProps {
  readonly instanceId: string;
  /** The object's name. */
  readonly name: string;
  /** The Secret key holding the Redis password (in the instance namespace). */
  readonly password: SecretKeyRef;
}

/**
 * A KEDA TriggerAuthentication handing the Redis password to `redis` triggers: KEDA reads the
 * Secret itself, so no password is written anywhere.
 * @see https://keda.sh/docs/2.20/scalers/redis-lists/#authentication-parameters
 */
export class RedisTriggerAuth extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: RedisTriggerAuthProps) {
    super(scope, id);
    this.name = props.name;
    new TriggerAuthentication(this, 'Resource', {
      metadata: { name: props.name, labels: objectLabels(props.instanceId, 'sidekiq') },
      spec: { secretTargetRef: [{ parameter: 'password', name: props.password.name, key: props.password.key }] },
    });
  }
}
