import { ConfigSource } from '../core/source';
import { Finding } from '../core/finding';
import { InstanceConfig, QueuePlan } from '../config/types';
import { Defaults } from '../model/defaults';

/** What a check of an instance's input reads: the typed config, and its files for file:line:col. */
export interface CheckSubject {
  readonly sources: { readonly instance: ConfigSource; readonly queuePlan: ConfigSource };
  readonly instance: InstanceConfig;
  /** Absent in the shape phase, which runs before the queue plan has passed its schema. */
  readonly queuePlan?: QueuePlan;
  /** The defaults the instance is rendered with (lib/model/defaults.ts), so checks and render agree. */
  readonly defaults: Defaults;
}

/** A rule about input the schema cannot express. Every check of lib/checks/ has this signature. */
export type Check = (subject: CheckSubject) => Finding[];
