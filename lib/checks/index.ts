import { Check } from './check';
import { checkDatabase } from './database';
import { checkDatabaseTls } from './database-tls';
import { checkEdge } from './edge';
import { checkMaintenance } from './maintenance';
import { checkMonitoring } from './monitoring';
import { checkNetworkPolicy } from './network-policy';
import { checkNodePools } from './node-pools';
import { checkImages } from './images';
import { checkPlacement } from './placement';
import { checkQueuePlan } from './queue-plan';
import { checkRedis } from './redis';
import { checkReplicas } from './replicas';
import { checkSecretEnv } from './secret-env';
import { checkSecretsDelivery } from './secrets-delivery';
import { checkSidekiqAutoscaling } from './sidekiq-autoscaling';
import { checkVersion } from './version';

/**
 * Checks across the fields of instance.yaml once it has passed its schema, reported with the
 * schema's errors in this order (errors only), so one run names every mistake of shape.
 */
export const SHAPE_CHECKS: readonly Check[] = [checkRedis, checkDatabaseTls, checkDatabase, checkEdge, checkReplicas, checkNetworkPolicy, checkNodePools, checkImages];

/** Checks once both files are valid: errors stop the render, warnings are printed (sorted by position). */
export const RULE_CHECKS: readonly Check[] = [checkVersion, checkMonitoring, checkSecretEnv, checkSecretsDelivery, checkQueuePlan, checkSidekiqAutoscaling, checkMaintenance, checkPlacement];

// The render adds the connection budget (./connection-budget.ts, which reads the model) and the
// rules across instances (./sharing.ts); credentials are refused in the raw files before any
// schema (./credentials.ts).
