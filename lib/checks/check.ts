import { ConfigSource } from '../core/source';
import { Finding } from '../core/finding';
import { InstanceConfig, QueuePlan } from '../config/types';

/** What a check of an instance's input reads: the typed config, and its files for file:line:col. */
export interface CheckSubject {
  readonly sources: { readonly instance: ConfigSource; readonly queuePlan: ConfigSource };
  readonly instance: InstanceConfig;
  /** Absent in the shape phase, which runs before the queue plan has passed its schema. */
  readonly queuePlan?: QueuePlan;
}

/** A rule about input the schema cannot express. Every check of lib/checks/ has this signature. */
export type Check = (subject: CheckSubject) => Finding[];
