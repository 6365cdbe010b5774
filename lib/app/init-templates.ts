/**
 * The files `mastodon-cdk8s init` writes: a new instance's instance.yaml and queue-plan.yaml, and a
 * cluster file, commented like the examples. Every value init cannot know is written schema-valid
 * but visibly a placeholder, with a `# TODO:` comment, so the result renders at once and
 * `grep -rn TODO config/<instance>` lists what is left to do.
 */

/** What init has settled for a new instance. */
export interface InstanceTemplate {
  readonly id: string;
  readonly namespace: string;
  readonly version: string;
  readonly domain: string;
  /** DigitalOcean region of the Spaces bucket and the database (nyc3, ams3…). */
  readonly region: string;
  /** The database host, or undefined for a placeholder. */
  readonly databaseHost?: string;
  readonly databasePlan: string;
  readonly planMemoryGiB: number;
  readonly edge: 'ingress' | 'gateway';
  readonly email: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly cluster: string;
  /** The cluster's API server when it is not the one Argo CD runs in. */
  readonly server?: string;
}

const SCHEMA_LINE = (file: string) => `# yaml-language-server: $schema=../../lib/config/schemas/${file}`;

/** `a.b-c` → `a_b_c`: PostgreSQL database names written without quotes. */
function sqlName(id: string): string {
  return id.replace(/[^a-z0-9]/g, '_');
}

/** Below 4 GiB, the default web and streaming pools alone would take most of the connections. */
function smallPlan(t: InstanceTemplate): boolean {
  return t.planMemoryGiB < 4;
}

function planLabel(t: InstanceTemplate): string {
  return /^\d+$/.test(t.databasePlan) ? `${t.databasePlan} GiB plan` : t.databasePlan;
}

export function instanceYaml(t: InstanceTemplate): string {
  const placeholderDb = `private-${t.id}-db-do-user-0000000-0.${t.region}.db.ondigitalocean.com`;
  const edge = t.edge === 'ingress'
    ? [
      '# ingress-nginx (installed once per cluster, config/clusters/) in front of web and streaming,',
      "# one Let's Encrypt certificate for every host.",
      'edge:',
      '  kind: ingress',
      '  className: nginx',
      '  # The VPC and pod network, where ingress-nginx runs (Mastodon trusts every private range otherwise).',
      '  trustedProxyIps: [10.0.0.0/8]',
      '  tls:',
      '    issuer: production',
      `    secretName: ${t.id}-tls`,
      '',
      `# ClusterIssuers letsencrypt-staging-${t.id} and letsencrypt-production-${t.id}, answering HTTP-01`,
      '# challenges through ingress-nginx (README, "TLS with cert-manager").',
      'certManager:',
      `  email: ${t.email}`,
      '  solver: http01',
    ]
    : [
      "# DOKS's managed Gateway API (Cilium) in front of web and streaming.",
      'edge:',
      '  kind: gateway',
      "  className: cilium # DOKS's managed GatewayClass; check with `kubectl get gatewayclass`",
      '  tls:',
      '    issuer: production',
      '',
      '# Certificates through DNS-01 with DigitalOcean DNS (README, "TLS with cert-manager").',
      'certManager:',
      `  email: ${t.email}`,
      '  solver: dns01',
      '  digitalOceanToken: { name: digitalocean-dns, key: access-token } # in namespace cert-manager',
    ];
  return [
    SCHEMA_LINE('instance.schema.json'),
    '#',
    `# Instance ${t.id}, written by \`mastodon-cdk8s init\`. Values marked TODO are placeholders that`,
    '# render but do not run: replace them, then `npm run synth` and read dist/' + `${t.id}/SECRETS.md`,
    '# for the Secrets to create. Every setting: README, "instance.yaml in brief".',
    `namespace: ${t.namespace}`,
    '',
    'mastodon:',
    `  version: ${t.version}`,
    `  localDomain: ${t.domain}`,
    '',
    ...(smallPlan(t)
      ? [
        `# Sized for the ${planLabel(t)} database's connection budget (README, "The PostgreSQL connection`,
        '# budget"; `npx mastodon-cdk8s plan` shows it): one Puma worker per web pod, a smaller streaming pool.',
        'web:',
        '  workers: 1 # WEB_CONCURRENCY',
        'streaming:',
        '  dbPool: 5',
      ]
      : ['# web and streaming: two pods each (the defaults); see README for sizes and autoscaling.']),
    '',
    'database:',
    `  # DigitalOcean managed PostgreSQL (${planLabel(t)}), its private network host.`,
    t.databaseHost ? `  host: ${t.databaseHost}` : `  host: ${placeholderDb} # TODO: the database cluster's private host`,
    `  user: ${t.id}`,
    '  password: { name: mastodon-db, key: password }',
    '  pool:',
    `    name: ${t.id}-pool # TODO: a PgBouncer pool of this name, transaction mode, for user ${t.id}`,
    `    planMemoryGiB: ${t.planMemoryGiB} # 25 connections per GiB, minus 3`,
    '  direct:',
    `    name: ${sqlName(t.id)}_production # TODO: the database of this instance`,
    '',
    '# Redis: a Dragonfly per role (mastodon, sidekiq, cache) in this namespace, the default.',
    '',
    'storage:',
    '  s3:',
    `    bucket: ${t.id}-media # TODO: a Spaces bucket of this instance`,
    `    region: ${t.region}`,
    `    endpoint: https://${t.region}.digitaloceanspaces.com`,
    '    accessKeyId: { name: spaces-credentials, key: access-key-id }',
    '    secretAccessKey: { name: spaces-credentials, key: secret-access-key }',
    '',
    'smtp:',
    '  server: smtp.example.invalid # TODO: your mail provider\'s SMTP server',
    `  fromAddress: ${t.domain} <notifications@${t.domain}>`,
    '  login: { name: smtp, key: username }',
    '  password: { name: smtp, key: password }',
    '',
    ...(smallPlan(t) ? ['# Housekeeping with fewer connections at a time (the defaults take 5 + 1 each).', 'maintenance:', '  mediaRemove: { concurrency: 2 }', '  previewCardsRemove: { concurrency: 2 }', ''] : []),
    `# search: OpenSearch for full-text search (README, "Search"), with prefix: ${t.id} so that instances`,
    '# sharing a search cluster keep their indices apart.',
    '# backups: database dumps and a media copy into a bucket elsewhere (README, "Backups").',
    '',
    'argocd:',
    `  # Argo CD applies dist/${t.id}/ from this repository (README, "Argo CD").`,
    `  repoURL: ${t.repoURL}`,
    `  targetRevision: ${t.targetRevision}`,
    ...(t.server ? [`  server: ${t.server}`] : []),
    `  cluster: ${t.cluster} # its operators: config/clusters/${t.cluster}.yaml`,
    '',
    ...edge,
    '',
  ].join('\n');
}

/**
 * A queue plan that fits the database plan: one weighted pool for the busy queues and the single
 * scheduler process (cron jobs must run once), its threads within the connection budget.
 */
export function queuePlanYaml(t: InstanceTemplate): string {
  const small = smallPlan(t);
  return [
    SCHEMA_LINE('queue-plan.schema.json'),
    '#',
    `# Sidekiq pools of ${t.id}, written by \`mastodon-cdk8s init\` for the ${planLabel(t)} database`,
    '# (`npx mastodon-cdk8s plan` shows what they cost in connections). README, "queue-plan.yaml".',
    'pools:',
    '  default: # → Deployment sidekiq-default',
    `    threads: ${small ? 5 : 10} # sidekiq -c; DB_POOL follows it`,
    `    replicas: ${small ? 1 : 2}`,
    '    queues: # a map = weighted queues (-q default,8 …); a list = strict priority order',
    '      default: 8',
    '      push: 6',
    '      ingress: 4',
    '      fasp: 2',
    '      pull: 1',
    '  scheduler:',
    '    threads: 2',
    '    replicas: 1',
    '    queues: { scheduler: 2, mailers: 1 }',
    '',
  ].join('\n');
}

export interface ClusterTemplate {
  readonly name: string;
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly server?: string;
  /** `cert-manager: {}` etc., in install order. */
  readonly operators: readonly { readonly id: string; readonly settings: string }[];
}

export function clusterYaml(t: ClusterTemplate): string {
  return [
    SCHEMA_LINE('cluster.schema.json'),
    '#',
    `# Cluster ${t.name}: the operators Argo CD installs into it once, for every instance with`,
    `# argocd.cluster: ${t.name} (README, "Clusters"). Written by \`mastodon-cdk8s init\`.`,
    'argocd:',
    `  repoURL: ${t.repoURL}`,
    `  targetRevision: ${t.targetRevision}`,
    ...(t.server ? [`server: ${t.server}`] : ['# server: https://kubernetes.default.svc # the cluster Argo CD runs in (default)']),
    'operators:',
    ...t.operators.map((o) => `  ${o.id}: ${o.settings}`),
    '',
  ].join('\n');
}
