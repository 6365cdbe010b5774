import { Construct } from 'constructs';
import { NEW_PASSWORD_LINE } from '../../catalog/tootctl';
import { MastodonJob, SharedEnvJobProps, sharedEnvJob } from './mastodon-job';

/** One attempt: a second would fail on the account the first created (tootctl exits 1 on a taken username). */
const BACKOFF_LIMIT = 0;
/** Creating one account takes seconds; longer means the database is unreachable. */
const RUN_LIMIT_SECONDS = 600;

/** What the Job's log shows instead of the generated password. */
export const WITHHELD_PASSWORD = `${NEW_PASSWORD_LINE}(withheld from this log: use "Forgot your password?" or tootctl accounts modify --reset-password, README "First owner")`;

export interface CreateOwnerJobProps extends SharedEnvJobProps {
  /** `create-owner-<username>`: one Job, so one run, per username. */
  readonly name: string;
  /** `bin/tootctl accounts create <username> --email … --role Owner`. */
  readonly command: readonly string[];
}

/**
 * Creates the first account, with the Owner role, confirmed and approved. A plain Job, not a hook:
 * Argo CD runs hooks at every sync, and tootctl would fail on the existing account each time. Like
 * the search index Job, it is named by what it does (the username) and its Application ignores its
 * `spec` (lib/charts/argocd-chart.ts), so later image or environment changes never re-create it.
 * It syncs in the operations Application, after the mastodon Application (migrations, seeds with the
 * Owner role) is healthy.
 *
 * tootctl prints the generated password; the line is replaced before it reaches the log, so no
 * secret lands in the cluster's logs. bash's pipefail keeps tootctl's exit status. The image is
 * Debian's Ruby slim image, whose essential packages include bash and sed, and builds with bash
 * (glitch-soc/mastodon@v4.6.5:Dockerfile:25,75; v4.3.0 :75).
 * The username and e-mail are the script's arguments, never parsed by the shell.
 */
export class CreateOwnerJob extends Construct {
  public readonly job: MastodonJob;

  constructor(scope: Construct, id: string, props: CreateOwnerJobProps) {
    super(scope, id);
    const [program, ...args] = props.command;
    const script = `${program} "$@" | sed -u 's/^${NEW_PASSWORD_LINE}.*$/${sedReplacement(WITHHELD_PASSWORD)}/'`;
    this.job = new MastodonJob(this, 'Job', {
      ...sharedEnvJob(props),
      command: ['bash', '-o', 'pipefail', '-e', '-c', script, props.name, ...args],
      backoffLimit: BACKOFF_LIMIT,
      activeDeadlineSeconds: RUN_LIMIT_SECONDS,
    });
  }
}

/** A sed replacement inside single quotes: `\`, `/` and `&` escaped; no `'` in it. */
function sedReplacement(text: string): string {
  if (text.includes("'")) throw new Error('a single quote would end the script');
  return text.replace(/[\\/&]/g, (c) => `\\${c}`);
}
