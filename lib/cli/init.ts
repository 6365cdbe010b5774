import * as path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { Command } from 'commander';
import { applyInit, InitRequest, planInit } from '../app/init';
import { FileError } from '../core/file-error';

const DEFAULT_CONFIG_ROOT = 'config';

interface InitOptions {
  readonly config: string;
  readonly domain?: string;
  readonly region?: string;
  readonly databasePlan?: string;
  readonly databaseHost?: string;
  readonly edge?: string;
  readonly cluster?: string;
  readonly server?: string;
  readonly repoUrl?: string;
  readonly email?: string;
  readonly version?: string;
}

/** Asks one question; resolves to the answer (empty: take the default). */
export type Ask = (question: string) => Promise<string>;

/**
 * Where init asks its questions: a prompt on standard error when standard input and standard
 * error are terminals, else nowhere (a missing required value is then an error naming its flag, so
 * a pipe or CI never waits). Replaced by tests.
 */
export const initIo: { ask: () => Ask | undefined } = {
  ask: () => {
    if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
    return async (question) => {
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    };
  },
};

type Asked = 'domain' | 'region' | 'databasePlan' | 'edge';

/** The values init cannot derive: the flag, else an answer, else (without a terminal) the fallback or an error. */
const QUESTIONS: readonly { readonly key: Asked; readonly flag: string; readonly question: string; readonly fallback?: string }[] = [
  { key: 'domain', flag: '--domain', question: 'Domain of the instance (LOCAL_DOMAIN, e.g. social.example.org)' },
  { key: 'region', flag: '--region', question: 'DigitalOcean region of its Spaces bucket and database (e.g. nyc3, ams3)' },
  { key: 'databasePlan', flag: '--database-plan', question: 'Managed PostgreSQL plan (e.g. db-s-2vcpu-4gb, or its memory in GiB)' },
  { key: 'edge', flag: '--edge', question: 'Edge: ingress (ingress-nginx, HTTP-01) or gateway (DOKS Gateway API, DNS-01)', fallback: 'ingress' },
];

async function answersFor(options: InitOptions): Promise<Record<Asked, string>> {
  const ask = initIo.ask();
  const answers: Partial<Record<Asked, string>> = { domain: options.domain, region: options.region, databasePlan: options.databasePlan, edge: options.edge };
  for (const q of QUESTIONS) {
    if (answers[q.key] !== undefined) continue;
    const answer = ask ? (await ask(`${q.question}${q.fallback ? ` [${q.fallback}]` : ''}: `)).trim() : '';
    const value = answer === '' ? q.fallback : answer;
    if (value === undefined) throw new FileError(q.flag, ask ? 'is needed; allowed: an answer, or the flag' : `is needed and there is no terminal to ask on; allowed: pass ${q.flag} <value>`);
    answers[q.key] = value;
  }
  return answers as Record<Asked, string>;
}

async function init(id: string, options: InitOptions): Promise<void> {
  const answers = await answersFor(options);
  if (answers.edge !== 'ingress' && answers.edge !== 'gateway') throw new FileError('--edge', `${JSON.stringify(answers.edge)} is not allowed; allowed: ingress or gateway`);
  const request: InitRequest = {
    configRoot: options.config,
    id,
    domain: answers.domain,
    region: answers.region,
    databasePlan: answers.databasePlan,
    databaseHost: options.databaseHost,
    edge: answers.edge,
    cluster: options.cluster,
    server: options.server,
    repoURL: options.repoUrl,
    email: options.email,
    version: options.version,
  };
  const plan = planInit(request);
  applyInit(plan);
  for (const w of plan.writes) process.stdout.write(`${w.created ? 'wrote' : 'changed'} ${path.relative(process.cwd(), w.file)}: ${w.note}\n`);
  const dir = path.relative(process.cwd(), plan.instanceDir);
  process.stdout.write([
    '',
    'Next:',
    `  1. replace the TODO placeholders: grep -n TODO ${dir}/*.yaml`,
    '  2. npm run synth, and read the diff of dist/',
    `  3. create the Secrets dist/${id}/SECRETS.md lists, then bootstrap Argo CD (README, "Argo CD" and "Clusters")`,
    '',
  ].join('\n'));
}

export function initCommand(): Command {
  return new Command('init')
    .description('write a new config/<instance>/ (instance.yaml, queue-plan.yaml) from flags, or from a short interview on a terminal; never overwrites')
    .argument('<instance>', 'the instance id: a DNS label, the folder name under config/ and dist/')
    .option('--domain <host>', 'LOCAL_DOMAIN, e.g. social.example.org')
    .option('--region <slug>', 'DigitalOcean region of the Spaces bucket and the database, e.g. nyc3')
    .option('--database-plan <plan>', 'managed PostgreSQL plan slug (db-s-2vcpu-4gb) or its memory in GiB')
    .option('--database-host <host>', "the database cluster's private host (default: a TODO placeholder)")
    .option('--edge <kind>', 'ingress or gateway (default ingress)')
    .option('--cluster <name>', 'the cluster file in config/clusters/ (default: the only one, else main, written if missing)')
    .option('--server <url>', "a new cluster file's API server, when Argo CD runs elsewhere (default https://kubernetes.default.svc)")
    .option('--repo-url <url>', 'this repository, for Argo CD (default: from the cluster file or another instance)')
    .option('--email <address>', "Let's Encrypt account address (default admin@<domain>)")
    .option('--version <tag>', 'Mastodon release tag (default: the newest the catalog knows)')
    .option('--config <dir>', 'the config folder', DEFAULT_CONFIG_ROOT)
    .action((id: string, opts: InitOptions) => init(id, opts));
}
