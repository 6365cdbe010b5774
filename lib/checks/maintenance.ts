import { Check } from './check';
import { tootctlAccepts } from '../catalog/tootctl';
import { clock, intervalsMeet, startMinutesOfDay } from '../core/cron';
import { error, Finding } from '../core/finding';
import { maintenanceSchedules } from '../model/maintenance';

/**
 * The housekeeping CronJobs: flags the instance's Mastodon version accepts, and no run inside a
 * database backup window (a run's start to its run limit, on any day, against every backup start plus
 * the window), decided from the schedules alone.
 */
export const checkMaintenance: Check = ({ sources, instance, defaults }) => {
  const source = sources.instance;
  const version = instance.mastodon.version;
  const findings: Finding[] = [];
  if (instance.maintenance?.mediaRemove?.keepInteracted && !tootctlAccepts(version, 'mediaRemove', '--keep-interacted')) {
    findings.push(error(source.problem(['maintenance', 'mediaRemove', 'keepInteracted'], `true needs Mastodon v4.6.0 or newer (tootctl media remove --keep-interacted came with 4.6; this instance has ${version}); allowed: false`, true)));
  }
  const backup = instance.backups?.database;
  if (!backup) return findings;
  const backupSchedule = backup.schedule ?? defaults.backups.database.schedule;
  const backupStarts = startMinutesOfDay(backupSchedule);
  if (!Array.isArray(backupStarts)) {
    findings.push(error(source.problem(['backups', 'database', 'schedule'], `"${backupSchedule}": ${backupStarts.error}; allowed: numeric minute and hour fields, as in "0 */6 * * *"`, true)));
    return findings;
  }
  const window = defaults.maintenance.backupWindowMinutes;
  const runLimit = defaults.maintenance.runLimitMinutes;
  const windows = backupStarts.map((b) => `${clock(b)}–${clock(b + window)}`).join(', ');
  for (const { task, schedule } of maintenanceSchedules(instance, defaults)) {
    const path = ['maintenance', task, 'schedule'];
    const starts = startMinutesOfDay(schedule);
    if (!Array.isArray(starts)) {
      findings.push(error(source.problem(path, `"${schedule}": ${starts.error}; allowed: numeric minute and hour fields, as in "0 1 * * 0"`, true)));
      continue;
    }
    const start = starts.find((j) => backupStarts.some((b) => intervalsMeet(b, window, j, runLimit)));
    if (start !== undefined) {
      findings.push(error(source.problem(path, `"${schedule}"${instance.maintenance?.[task]?.schedule === undefined ? ' (the default)' : ''} runs from ${clock(start)} UTC for up to ${runLimit / 60} h, into the database backup windows ${windows} UTC (backups.database.schedule "${backupSchedule}", ${window} min each); allowed: a schedule whose runs start and end outside them`, true)));
    }
  }
  return findings;
};
