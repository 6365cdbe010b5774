import { Construct } from 'constructs';
import { Password } from '../../../imports/password-generators.external-secrets.io';
import { PasswordSpec } from '../../catalog/external-secrets';
import { objectLabels } from '../common/labels';

export interface PasswordGeneratorProps {
  readonly instanceId: string;
  /** The generator's name (`<Secret>-<key>`). */
  readonly name: string;
  /** The Secret key it fills. */
  readonly secretKey: string;
  readonly spec: PasswordSpec;
}

/**
 * An ESO `Password` generator for one Secret key: the value is made by the operator in the cluster
 * and never leaves it. Every option is written out, the symbol count included (lib/catalog/external-secrets.ts).
 */
export class PasswordGenerator extends Construct {
  public readonly password: Password;

  constructor(scope: Construct, id: string, props: PasswordGeneratorProps) {
    super(scope, id);
    const { length, digits, symbols, allowRepeat } = props.spec;
    this.password = new Password(this, 'Resource', {
      metadata: { name: props.name, labels: objectLabels(props.instanceId, 'secrets') },
      spec: { length, digits, symbols, noUpper: false, allowRepeat, secretKeys: [props.secretKey] },
    });
  }
}
