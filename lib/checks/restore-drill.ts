import { Check } from './check';
import { clock, intervalsMeet, startMinutesOfDay } from '../core/cron';
import { error, Finding } from '../core/finding';

/**
 * The restore drill: never the production database as its scratch one (it would be refused at run
 * time only after the data was read, or, with a drill's marker, restored over), and no run inside
 * a database backup window, decided from the schedules like the housekeeping jobs' (./maintenance.ts).
 */
export const checkRestoreDrill: Check = ({ sources, instance, defaults }) => {
  const backup = instance.backups?.database;
  const drill = backup?.restoreDrill;
  if (!backup || !(drill?.enabled ?? defaults.backups.database.restoreDrill.enabled)) return [];
  const source = sources.instance;
  const findings: Finding[] = [];
  const production = [instance.database.direct.name, instance.database.pool.name];
  if (drill?.database !== undefined && production.includes(drill.database)) {
    findings.push(error(source.problem(['backups', 'database', 'restoreDrill', 'database'], `"${drill.database}" is the instance's own database (database.direct.name or database.pool.name): a drill restores into a scratch database; allowed: another database of the cluster, or none for a throwaway PostgreSQL in the pod`, true)));
  }
  const backupSchedule = backup.schedule ?? defaults.backups.database.schedule;
  const backupStarts = startMinutesOfDay(backupSchedule);
  // An unreadable backup schedule is reported by ./maintenance.ts.
  if (!Array.isArray(backupStarts)) return findings;
  const schedule = drill?.schedule ?? defaults.backups.database.restoreDrill.schedule;
  const starts = startMinutesOfDay(schedule);
  const path = ['backups', 'database', 'restoreDrill', 'schedule'];
  if (!Array.isArray(starts)) {
    findings.push(error(source.problem(path, `"${schedule}": ${starts.error}; allowed: numeric minute and hour fields, as in "0 7 * * 1"`, true)));
    return findings;
  }
  const window = defaults.maintenance.backupWindowMinutes;
  const runLimit = defaults.backups.database.restoreDrill.runLimitMinutes;
  const start = starts.find((j) => backupStarts.some((b) => intervalsMeet(b, window, j, runLimit)));
  if (start !== undefined) {
    const windows = backupStarts.map((b) => `${clock(b)}–${clock(b + window)}`).join(', ');
    findings.push(error(source.problem(path, `"${schedule}"${drill?.schedule === undefined ? ' (the default)' : ''} runs from ${clock(start)} UTC for up to ${runLimit / 60} h, into the database backup windows ${windows} UTC (backups.database.schedule "${backupSchedule}", ${window} min each); allowed: a schedule whose runs start and end outside them`, true)));
  }
  return findings;
};
