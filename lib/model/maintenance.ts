import { DIRECT_CONNECTION_COMMANDS, PARALLEL_EXTRA_CONNECTIONS, TootctlCommand, tootctlCommand, TootctlOption } from '../catalog/tootctl';
import { InstanceConfig } from '../config/types';
import { sidekiqResources } from '../sizing/resources';
import { Defaults } from './defaults';
import { MaintenanceJobModel } from './types';

/** The config key of each housekeeping task, in the order they render. */
export const MAINTENANCE_TASKS = ['mediaRemove', 'profileMediaRemove', 'previewCardsRemove', 'mediaRemoveOrphans', 'accountsPrune', 'statusesRemove'] as const;
export type MaintenanceTask = typeof MAINTENANCE_TASKS[number];

/** `mediaRemove` → `media-remove`: the CronJob is `maintenance-<task>`. */
export function maintenanceTaskName(task: MaintenanceTask): string {
  return task.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

interface TaskLine {
  readonly enabled: boolean;
  readonly schedule: string;
  readonly command: TootctlCommand;
  readonly options: readonly TootctlOption[];
  /** `--concurrency`, or one thread for a sequential command. */
  readonly threads: number;
}

/** Each task's settings over its defaults, and the tootctl options they mean. */
function taskLines(instance: InstanceConfig, d: Defaults): Record<MaintenanceTask, TaskLine> {
  const m = instance.maintenance ?? {};
  const md = d.maintenance;
  const media = { ...md.mediaRemove, ...m.mediaRemove };
  const profile = { ...md.profileMediaRemove, ...m.profileMediaRemove };
  const cards = { ...md.previewCardsRemove, ...m.previewCardsRemove };
  const orphans = { ...md.mediaRemoveOrphans, ...m.mediaRemoveOrphans };
  const prune = { ...md.accountsPrune, ...m.accountsPrune };
  const statuses = { ...md.statusesRemove, ...m.statusesRemove };
  return {
    mediaRemove: {
      enabled: media.enabled, schedule: media.schedule, command: 'mediaRemove', threads: media.concurrency,
      options: [['--days', media.days], ['--concurrency', media.concurrency], ...(media.keepInteracted ? [['--keep-interacted'] as const] : [])],
    },
    profileMediaRemove: {
      enabled: profile.enabled, schedule: profile.schedule, command: 'mediaRemove', threads: profile.concurrency,
      options: [[`--${profile.mode}`], ['--days', profile.days], ['--concurrency', profile.concurrency], ...(profile.includeFollows ? [['--include-follows'] as const] : [])],
    },
    previewCardsRemove: {
      enabled: cards.enabled, schedule: cards.schedule, command: 'previewCardsRemove', threads: cards.concurrency,
      options: [['--days', cards.days], ['--concurrency', cards.concurrency], ...(cards.linkOnly ? [['--link'] as const] : [])],
    },
    mediaRemoveOrphans: {
      enabled: orphans.enabled, schedule: orphans.schedule, command: 'mediaRemoveOrphans', threads: 1,
      options: m.mediaRemoveOrphans?.prefix ? [['--prefix', m.mediaRemoveOrphans.prefix]] : [],
    },
    accountsPrune: {
      enabled: prune.enabled, schedule: prune.schedule, command: 'accountsPrune', threads: prune.concurrency,
      options: [['--concurrency', prune.concurrency]],
    },
    statusesRemove: {
      enabled: statuses.enabled, schedule: statuses.schedule, command: 'statusesRemove', threads: 1,
      options: [['--days', statuses.days], ['--batch-size', statuses.batchSize], ...(statuses.cleanFollowed ? [['--clean-followed'] as const] : [])],
    },
  };
}

/** The enabled housekeeping tasks' schedules, for the overlap check (before any command is built). */
export function maintenanceSchedules(instance: InstanceConfig, d: Defaults): { readonly task: MaintenanceTask; readonly schedule: string }[] {
  const lines = taskLines(instance, d);
  return MAINTENANCE_TASKS.filter((task) => lines[task].enabled).map((task) => ({ task, schedule: lines[task].schedule }));
}

/**
 * The enabled housekeeping CronJobs: their tootctl command lines for the instance's version, sizes,
 * run limit and database connections. Each parallel command resets its pool to `concurrency + 1`
 * (PARALLEL_EXTRA_CONNECTIONS); `remove-orphans` works with one through the pool, `statuses remove`
 * with one on the direct connection (DIRECT_CONNECTION_COMMANDS).
 */
export function maintenanceModel(instance: InstanceConfig, d: Defaults): MaintenanceJobModel[] {
  const version = instance.mastodon.version;
  const lines = taskLines(instance, d);
  return MAINTENANCE_TASKS.filter((task) => lines[task].enabled).map((task) => {
    const line = lines[task];
    const name = `maintenance-${maintenanceTaskName(task)}`;
    const parallel = line.options.some(([flag]) => flag === '--concurrency');
    const connections = parallel ? line.threads + PARALLEL_EXTRA_CONNECTIONS : 1;
    const via = DIRECT_CONNECTION_COMMANDS.includes(line.command) ? 'direct' : 'pool';
    return {
      task: maintenanceTaskName(task),
      name,
      schedule: line.schedule,
      command: tootctlCommand(version, line.command, line.options),
      runLimitSeconds: d.maintenance.runLimitMinutes * 60,
      resources: sidekiqResources(line.threads),
      db: { name: `${name} job`, connections, formula: parallel ? `--concurrency ${line.threads} + ${PARALLEL_EXTRA_CONNECTIONS}` : 'one connection', via },
    };
  });
}
