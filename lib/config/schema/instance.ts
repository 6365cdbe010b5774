import { Static, Type } from '@sinclair/typebox';
import { nodePools } from './node-pools';
import { images } from './images';
import { placement } from './placement';
import { allowed, allowedFields, literals, map, namePattern, obj, opt, pattern, patternAllowed, prop, raw, ref, refs, requiredInOrder } from './kit';

/**
 * The schema of `config/<instance>/instance.yaml`: the source of lib/config/schemas/instance.schema.json
 * (`npm run schemas`) and of the types in ../types.ts. `default`s are not written here: the emitter
 * adds them from the values the renderer uses (scripts/schema-defaults.ts).
 */

const EDGE_ALLOWED = "'any' or a list of sources, each {namespace, podLabels} or {cidr}";
const REINDEX_ALLOWED = "lowercase letters, digits and '-', such as 2 or 2026-12-01";
const OPERATORS_ALLOWED = 'auto, none, or a list of cert-manager, dragonfly-operator, ingress-nginx, keda, external-secrets';

/** The cluster-wide operators an instance can install through Argo CD (lib/catalog/operators.ts). */
export const operatorId = literals(['cert-manager', 'dragonfly-operator', 'ingress-nginx', 'keda', 'external-secrets']);

const dnsLabel = pattern('^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', "a DNS label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters");

const dnsSubdomain = pattern('^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', "a DNS subdomain: lowercase letters, digits, '-' and '.', at most 253 characters", { maxLength: 253 });

const hostname = pattern('^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)*$', 'a host name such as social.example.com (no scheme, no port, no path)', { maxLength: 253 });

const port = Type.Integer({ minimum: 1, maximum: 65535 });

/** Kubernetes quantities (also in queue-plan.yaml). */
export const quantityCpu = pattern('^([0-9]+m|[0-9]+(\\.[0-9]+)?)$', 'a CPU quantity such as 250m, 1 or 1.5');

export const quantityMemory = pattern('^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)$', 'a memory quantity such as 512Mi or 1.5Gi');

const resourceQuantities = obj({
  cpu: opt('CPU, as a Kubernetes quantity (250m = a quarter of a CPU).', ref('quantityCpu', quantityCpu)),
  memory: opt('Memory, as a Kubernetes quantity (512Mi, 1.5Gi).', ref('quantityMemory', quantityMemory)),
});

const resources = obj({
  requests: opt('What the container is guaranteed (the scheduler places the pod by it). Default: derived from the sizing factors.', ref('resourceQuantities', resourceQuantities)),
  limits: opt('The most the container may use (memory above it is killed). Default: derived from the sizing factors.', ref('resourceQuantities', resourceQuantities)),
}, { description: 'Container resources; what is left out is derived from the sizing factors.' });

const secretKeyRef = obj({
  name: prop('Name of the Secret.', ref('dnsSubdomain', dnsSubdomain)),
  key: prop('The key in the Secret.', pattern('^[-._a-zA-Z0-9]+$', "a Secret key: letters, digits, '-', '_' and '.', at most 253 characters", { maxLength: 253 })),
}, { description: 'A key of a Secret that must exist in the instance namespace.' });

const fileRef = obj({
  configMap: opt('Name of the ConfigMap holding the file.', ref('dnsSubdomain', dnsSubdomain)),
  secret: opt('Name of the Secret holding the file.', ref('dnsSubdomain', dnsSubdomain)),
  key: prop('The key holding the PEM file.', pattern('^[-._a-zA-Z0-9]+$', "a ConfigMap or Secret key: letters, digits, '-', '_' and '.'")),
}, { ...allowedFields('exactly one of configMap or secret, and key'), description: 'A PEM file in the instance namespace: one key of a ConfigMap or of a Secret (a CA certificate is public, so a ConfigMap is enough). It is mounted read-only into the pods that read it.', minProperties: 2, maxProperties: 2 });

const dragonfly = obj({
  replicas: opt('Pods, master included; the operator fails over to a replica. Default 2.', Type.Integer({ minimum: 1, maximum: 5 })),
  image: opt('Default docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1.', pattern('^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)+(:(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$', 'an image with a pinned tag or digest (not latest), such as docker.dragonflydb.io/dragonflydb/dragonfly:v1.40.1')),
  resources: opt('Dragonfly runs one thread per CPU of the limit and caps its data at 80% of the memory limit (at least 256 MiB per thread). Default by role.', ref('resources', resources)),
  password: opt('The password (authentication.passwordFromSecret); URL-safe, e.g. openssl rand -hex 32. Default dragonfly-auth/password.', ref('secretKeyRef', secretKeyRef)),
  placement: opt("Where the operator runs this role's pods (spec.nodeSelector, tolerations, affinity, which it copies into the pod). Our one-pod-per-node anti-affinity stays. Default: the instance's placement.", placement),
  snapshot: opt('Snapshots to a volume per pod, overwriting one file.', obj({
    enabled: opt('Default true for mastodon and sidekiq, false for cache.', Type.Boolean()),
    cron: opt('Default every 5 minutes (*/5 * * * *).', pattern('^(\\S+\\s+){4}\\S+$', 'a crontab expression with five fields, such as */5 * * * *')),
    size: opt('Volume size. Default twice the memory limit.', ref('quantityMemory', quantityMemory)),
    storageClassName: opt('Default do-block-storage.', ref('dnsSubdomain', dnsSubdomain)),
  })),
  args: opt("Extra Dragonfly flags, after the role's own (the last of a flag wins).", Type.Array(pattern('^--[a-z0-9_]+(=.*)?$', 'a Dragonfly flag such as --maxclients=10000'))),
}, { description: 'A Dragonfly (dragonflydb.io/v1alpha1) named dragonfly-<role>, run by the Dragonfly operator in the instance namespace.' });

const externalRedis = obj({
  host: prop('Host name of the server.', ref('hostname', hostname)),
  port: opt('Default 6379.', ref('port', port)),
  db: opt('Default 0.', Type.Integer({ minimum: 0, maximum: 15 })),
  password: opt('URL-safe: it is interpolated into the URL.', ref('secretKeyRef', secretKeyRef)),
  tls: opt('rediss:// (turns on REDIS_DRIVER=ruby). Default false.', Type.Boolean()),
}, { description: 'A Redis-compatible server run elsewhere, e.g. DigitalOcean managed Valkey (port 25061, tls: true).' });

const redisRole = obj({
  dragonfly: opt("A Dragonfly run here by the Dragonfly operator (the default, with the role's defaults).", ref('dragonfly', dragonfly)),
  external: opt('A Redis-compatible server run elsewhere instead of a Dragonfly.', ref('externalRedis', externalRedis)),
}, { ...allowedFields('either dragonfly: {…} (run here; the default) or external: {…} (a server run elsewhere), not both'), maxProperties: 1 });

const autoscaling = obj({
  minReplicas: opt('Default 2.', Type.Integer({ ...allowed('2 or more (the PodDisruptionBudget needs a second pod)'), minimum: 2, maximum: 100 })),
  maxReplicas: prop('Upper bound; every connection budget counts this many pods.', Type.Integer({ minimum: 2, maximum: 100 })),
  targetCpuUtilization: opt('Average CPU use, in percent of the CPU request, the autoscaler aims for. Default 70.', Type.Integer({ minimum: 10, maximum: 100 })),
}, { description: 'Opt-in HorizontalPodAutoscaler on CPU. The Deployment then has no replicas of its own; database connections are budgeted at maxReplicas.' });

const cidr = pattern('^([0-9]{1,3}\\.){3}[0-9]{1,3}/[0-9]{1,2}$|^[0-9a-fA-F:]+/[0-9]{1,3}$', 'a CIDR block such as 10.244.0.0/16 or fd00::/8');

const labelMap = map(namePattern('^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$', 'a label key such as app.kubernetes.io/name'), pattern('^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$', "a label value: at most 63 letters, digits, '-', '_' or '.'"));

const networkPeer = obj({
  namespace: opt('Pods of this namespace (all of them, or those with podLabels).', ref('dnsLabel', dnsLabel)),
  podLabels: opt('Only the pods of namespace with these labels. Default: every pod of the namespace.', ref('labelMap', labelMap)),
  cidr: opt('A CIDR block of source addresses.', ref('cidr', cidr)),
}, { description: 'One source: pods in a namespace (all of them, or those with podLabels), or a CIDR block. Give namespace or cidr, not both.' });

const networkPolicy = obj({
  edge: opt("Who may connect to web (3000) and streaming (4000), and to cert-manager's HTTP-01 solver pods (8089). Default: the namespace ingress-nginx. 'any' admits every source on those ports (needed for Cilium's Gateway API, whose Envoy has no namespace a NetworkPolicy can select).", raw<'any' | Static<typeof networkPeer>[]>({
    type: ['string', 'array'], pattern: '^any$', minItems: 1, items: ref('networkPeer', networkPeer),
    ...patternAllowed(EDGE_ALLOWED), ...allowed(EDGE_ALLOWED),
  })),
  egress: opt('open (default): Mastodon may connect anywhere (federation needs the internet). restricted: DNS, pods of the namespace, the configured database, Redis, SMTP and search ports, and HTTP(S) to public addresses only.', literals(['open', 'restricted'])),
}, { description: 'NetworkPolicies of the instance namespace: ingress is denied by default; the edge may reach web:3000 and streaming:4000; Mastodon pods may reach Dragonfly on 6379.' });

const smtpAuthMethod = literals(['plain', 'login', 'cram_md5', 'none'], { description: 'SMTP_AUTH_METHOD. Default plain.' });

const smtpStarttls = literals(['auto', 'always', 'never'], { description: 'SMTP_ENABLE_STARTTLS. Default always.' });

const smtpVerifyMode = literals(['none', 'peer'], { description: 'SMTP_OPENSSL_VERIFY_MODE: peer verifies the server certificate. Default peer.' });

const emailAddress = pattern('^(.+ <)?[^@\\s<>]+@[^@\\s<>]+>?$', "an e-mail address, optionally as 'Name <user@example.com>'");

const bucketName = pattern('^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$', "a bucket name: lowercase letters, digits and '-', 3 to 63 characters, no dots");

const httpUrl = pattern('^https?://[^\\s/]+(/[^\\s]*)?$', 'an http:// or https:// URL');

const cronSchedule = pattern('^(@(yearly|annually|monthly|weekly|daily|hourly)|[0-9*/,-]+( [0-9A-Za-z*/,-]+){4})$', 'a cron schedule of five fields such as "0 */6 * * *", or @daily');

const quantityStorage = pattern('^[0-9]+(Mi|Gi|Ti)$', 'a storage quantity such as 512Mi or 32Gi');

export const definitions = { dnsLabel, dnsSubdomain, hostname, port, quantityCpu, quantityMemory, resources, resourceQuantities, secretKeyRef, fileRef, redisRole, dragonfly, externalRedis, autoscaling, cidr, labelMap, networkPeer, networkPolicy, smtpAuthMethod, smtpStarttls, smtpVerifyMode, emailAddress, bucketName, httpUrl, cronSchedule, quantityStorage };
const $ = refs(definitions);

export const InstanceSchema = requiredInOrder(obj({
  namespace: prop("Namespace of the instance's workloads (one namespace per instance).", $.dnsLabel),
  mastodon: prop('The Mastodon release and its instance-wide settings.', obj({
    version: prop('Mastodon release tag, 4.3 or newer, e.g. v4.7.2 (image tag of ghcr.io/mastodon/mastodon and mastodon-streaming). What each release needs is in lib/catalog/mastodon-releases.ts.', pattern('^v4\\.[0-9]+\\.[0-9]+$', 'a Mastodon 4.x release tag such as v4.7.2')),
    localDomain: prop('LOCAL_DOMAIN: the domain in user handles. Cannot be changed safely later.', $.hostname),
    webDomain: opt('WEB_DOMAIN, when the web interface lives elsewhere. Default: localDomain.', $.hostname),
    alternateDomains: opt('ALTERNATE_DOMAINS.', Type.Array($.hostname, { uniqueItems: true })),
    singleUserMode: opt('SINGLE_USER_MODE. Default false.', Type.Boolean()),
    authorizedFetch: opt('AUTHORIZED_FETCH (secure mode). Default false.', Type.Boolean()),
    limitedFederationMode: opt('LIMITED_FEDERATION_MODE. Default false.', Type.Boolean()),
    logLevel: opt('RAILS_LOG_LEVEL and streaming LOG_LEVEL. Default warn.', literals(['debug', 'info', 'warn', 'error'])),
    defaultLocale: opt('DEFAULT_LOCALE. Default en.', pattern('^[a-z]{2,3}(-[A-Za-z0-9]+)?$', 'a locale such as en, de or pt-BR')),
    extraEnv: opt('Other non-secret environment variables for every Mastodon process. Values are strings. A variable the render sets from a typed setting (LOCAL_DOMAIN, DB_HOST, REDIS_URL, WEB_CONCURRENCY…) is an error here: set the typed setting instead.', map(namePattern('^[A-Z][A-Z0-9_]*$', 'an environment variable name in upper case, such as MY_SETTING'), Type.String())),
    owner: opt('Opt-in: the first account, created once by the Job create-owner-<username> with `tootctl accounts create <username> --email <email> --confirmed --approve --role Owner` once the migrations have run. tootctl generates its password, which the Job keeps out of its log: set one with "Forgot your password?" (needs smtp) or `tootctl accounts modify <username> --reset-password`. The Job runs once per username; remove the section when you like.', obj({
      username: prop("The owner's username: letters, digits and _, at most 30 characters (Mastodon's rule for local accounts).", pattern('^_*[A-Za-z0-9][A-Za-z0-9_]*$', 'letters, digits and _ (at least one letter or digit), at most 30 characters (app/models/account.rb)', { maxLength: 30 })),
      email: prop('Its e-mail address, marked confirmed: no confirmation mail is sent.', pattern('^[^@\\s<>]+@[^@\\s<>]+$', 'an e-mail address such as admin@example.social')),
    })),
    secretEnv: opt("Secret-valued environment variables for every Mastodon process (and the migration hooks), each read from a Secret key: OIDC_CLIENT_SECRET, SAML_PRIVATE_KEY, LDAP_PASSWORD, REPLICA_DB_PASS, OTEL_EXPORTER_OTLP_HEADERS… (lib/catalog/secret-settings.ts). A variable with a typed setting (DB_PASS: database.password…) or one of the app Secret's keys is an error here.", map(namePattern('^[A-Z][A-Z0-9_]*$', 'an environment variable name in upper case, such as OIDC_CLIENT_SECRET'), $.secretKeyRef)),
  })),
  web: opt('Puma web pods.', obj({
    replicas: opt('Pods. Default 2. At least 2: with one pod every rollout, node drain or crash is an outage, and its PodDisruptionBudget could never allow an eviction. Leave it out when autoscaling is set.', Type.Integer({ ...allowed('2 or more (one pod cannot survive a node drain or rollout; the PodDisruptionBudget needs a second)'), minimum: 2, maximum: 100 })),
    workers: opt('Puma worker processes per pod (WEB_CONCURRENCY). Default 2.', Type.Integer({ minimum: 1, maximum: 32 })),
    threads: opt('Puma threads per worker (MAX_THREADS). Default 5.', Type.Integer({ minimum: 1, maximum: 64 })),
    resources: opt('Container resources of a web pod. Default: from the sizing factors.', $.resources),
    autoscaling: opt('A HorizontalPodAutoscaler on CPU instead of a fixed replicas. Default: none (replicas pods).', $.autoscaling),
    placement: opt("Where these pods run: nodePool, nodeSelector (merged over the instance's placement), tolerations and affinity (replacing the instance's). Default: the instance's placement.", placement),
  })),
  streaming: opt('Node.js streaming API pods.', obj({
    replicas: opt('Pods. Default 2. At least 2: with one pod every rollout, node drain or crash is an outage, and its PodDisruptionBudget could never allow an eviction. Leave it out when autoscaling is set.', Type.Integer({ ...allowed('2 or more (one pod cannot survive a node drain or rollout; the PodDisruptionBudget needs a second)'), minimum: 2, maximum: 100 })),
    dbPool: opt('PostgreSQL connections per pod (DB_POOL). Default 10.', Type.Integer({ minimum: 1, maximum: 100 })),
    resources: opt('Container resources of a streaming pod. Default: from the sizing factors.', $.resources),
    autoscaling: opt('A HorizontalPodAutoscaler on CPU instead of a fixed replicas. Default: none (replicas pods).', $.autoscaling),
    placement: opt("Where these pods run: nodePool, nodeSelector (merged over the instance's placement), tolerations and affinity (replacing the instance's). Default: the instance's placement.", placement),
  })),
  database: prop('PostgreSQL (DigitalOcean managed: PgBouncer pool on 25061, direct on 25060).', obj({
    host: prop("DB_HOST: the database cluster's host name.", $.hostname),
    user: prop('DB_USER.', Type.String({ ...allowed('a PostgreSQL name: 1 to 63 characters (longer names are cut to 63 bytes)'), minLength: 1, maxLength: 63 })),
    password: prop('DB_PASS.', $.secretKeyRef),
    sslmode: opt('DB_SSLMODE. Default require. verify-ca and verify-full need caCertificate.', literals(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'])),
    caCertificate: opt("CA certificate of the PostgreSQL server (DigitalOcean: the database cluster's CA certificate), required by sslmode verify-ca and verify-full: PGSSLROOTCERT for Rails (libpq), NODE_EXTRA_CA_CERTS for streaming.", $.fileRef),
    preparedStatements: opt('PREPARED_STATEMENTS; must stay false behind PgBouncer transaction pooling. Default false.', Type.Boolean()),
    pool: prop("The PgBouncer connection pool Mastodon's processes use.", obj({
      port: opt('Default 25061.', $.port),
      name: prop('The pool name (DB_NAME for pooled connections).', Type.String({ ...allowed('a PostgreSQL name: 1 to 63 characters (longer names are cut to 63 bytes)'), minLength: 1, maxLength: 63 })),
      size: opt("The pool's size: the connections Mastodon's processes may open through it. Give size, planMemoryGiB or both.", Type.Integer({ minimum: 1 })),
      planMemoryGiB: opt("The DigitalOcean plan's RAM in GiB: the cluster gives 25 × GiB − 3 connections. Without size, the pool is taken to be that less the direct connections of migrations.", Type.Integer({ minimum: 1 })),
    })),
    direct: prop('The direct connection used by migrations.', obj({
      port: opt('Default 25060.', $.port),
      name: prop('The real database name.', Type.String({ ...allowed('a PostgreSQL name: 1 to 63 characters (longer names are cut to 63 bytes)'), minLength: 1, maxLength: 63 })),
    })),
  })),
  redis: opt('Redis by role. Each role is a Dragonfly run here by the Dragonfly operator (the default, with defaults by role) or an external server. Default: three Dragonflies.', obj({
    mastodon: opt("REDIS_URL: the base instance (home feeds, streaming's only Redis). Default: Dragonfly dragonfly-mastodon with snapshots.", $.redisRole),
    sidekiq: opt('SIDEKIQ_REDIS_URL: the job queues. Default: Dragonfly dragonfly-sidekiq with snapshots and undeclared-key Lua allowed.', $.redisRole),
    cache: opt("CACHE_REDIS_URL: Rails' cache. Default: Dragonfly dragonfly-cache in cache mode, without snapshots.", $.redisRole),
  })),
  storage: prop("Media storage. Required: S3-compatible object storage (storage.s3). Without it Mastodon writes media to /opt/mastodon/public/system, which is on the pods' read-only root, and a volume shared by web and Sidekiq pods on several nodes needs ReadWriteMany, which DigitalOcean block storage does not offer.", obj({
    s3: prop('S3-compatible object storage (DigitalOcean Spaces) for media.', obj({
      bucket: prop("Avoid dots: Spaces' wildcard TLS certificate does not cover them.", $.bucketName),
      region: prop('S3_REGION, e.g. nyc3 for DigitalOcean Spaces.', Type.String({ minLength: 1 })),
      endpoint: prop('S3_ENDPOINT, e.g. https://nyc3.digitaloceanspaces.com.', pattern('^https?://[^\\s/]+$', 'a URL such as https://nyc3.digitaloceanspaces.com (no path)')),
      hostname: opt("S3_HOSTNAME. Default: the endpoint's host name.", $.hostname),
      aliasHost: opt('S3_ALIAS_HOST: the CDN host serving media.', $.hostname),
      permission: opt('S3_PERMISSION. Default public-read.', literals(['public-read', 'private'])),
      accessKeyId: prop('AWS_ACCESS_KEY_ID.', $.secretKeyRef),
      secretAccessKey: prop('AWS_SECRET_ACCESS_KEY.', $.secretKeyRef),
      overridePathStyle: opt('S3_OVERRIDE_PATH_STYLE: virtual-hosted-style requests (bucket.endpoint) instead of path style. Default false.', Type.Boolean()),
      multipartThresholdMiB: opt("S3_MULTIPART_THRESHOLD in MiB (uploads above it are multipart). Default Mastodon's 15.", Type.Integer({ minimum: 5, maximum: 5120 })),
    }, { ...allowedFields("S3-compatible object storage such as DigitalOcean Spaces (README, \"Media storage\"): Mastodon would write local media to /opt/mastodon/public/system on the pods' read-only root, and DigitalOcean block storage cannot be shared by pods on several nodes (ReadWriteOnce)") })),
  }, { ...allowedFields("storage.s3: media on S3-compatible object storage such as DigitalOcean Spaces (README, \"Media storage\"); local media would land on the pods' read-only root, and DigitalOcean block storage cannot be shared by pods on several nodes (ReadWriteOnce)") })),
  smtp: opt('Outgoing mail (SMTP_*).', obj({
    server: prop('SMTP_SERVER.', $.hostname),
    port: opt('Default 587.', $.port),
    fromAddress: prop('SMTP_FROM_ADDRESS.', $.emailAddress),
    replyTo: opt('SMTP_REPLY_TO.', $.emailAddress),
    login: prop('SMTP_LOGIN.', $.secretKeyRef),
    password: prop('SMTP_PASSWORD.', $.secretKeyRef),
    authMethod: opt('SMTP_AUTH_METHOD. Default plain.', $.smtpAuthMethod),
    enableStarttls: opt('SMTP_ENABLE_STARTTLS. Default always.', $.smtpStarttls),
    opensslVerifyMode: opt('SMTP_OPENSSL_VERIFY_MODE: peer verifies the server certificate. Default peer.', $.smtpVerifyMode),
    domain: opt('SMTP_DOMAIN, the HELO domain. Default LOCAL_DOMAIN.', $.hostname),
    bulk: opt('BULK_SMTP_*: a separate server for mass mail (announcements, terms of service; Mastodon >= 4.4). Mastodon sends bulk mail from smtp.fromAddress: it reads no BULK_SMTP_FROM_ADDRESS.', obj({
      server: prop('BULK_SMTP_SERVER.', $.hostname),
      port: opt('Default 587.', $.port),
      login: prop('BULK_SMTP_LOGIN.', $.secretKeyRef),
      password: prop('BULK_SMTP_PASSWORD.', $.secretKeyRef),
      authMethod: opt('BULK_SMTP_AUTH_METHOD. Default plain.', $.smtpAuthMethod),
      enableStarttls: opt('BULK_SMTP_ENABLE_STARTTLS. Default always.', $.smtpStarttls),
      opensslVerifyMode: opt('BULK_SMTP_OPENSSL_VERIFY_MODE: peer verifies the server certificate. Default peer.', $.smtpVerifyMode),
      domain: opt('SMTP_DOMAIN, the HELO domain. Default LOCAL_DOMAIN.', $.hostname),
      caCertificate: opt("BULK_SMTP_CA_FILE: CA bundle to verify the bulk SMTP server with. Default the image's system bundle.", $.fileRef),
      fromAddress: opt('Not supported: Mastodon has no separate From address for bulk mail.', raw<never>({ not: {}, ...allowed('nothing: Mastodon reads no BULK_SMTP_FROM_ADDRESS and sends bulk mail from smtp.fromAddress (config/email.yml, app/mailers/concerns/bulk_mail_settings_concern.rb); remove the field') })),
    })),
    caCertificate: opt("SMTP_CA_FILE: CA bundle to verify the SMTP server with. Default the image's system bundle.", $.fileRef),
  })),
  search: opt('OpenSearch / Elasticsearch.', obj({
    host: prop('ES_HOST; https:// turns TLS on.', pattern('^(https?://)?[A-Za-z0-9.-]+$', 'a host name, optionally with http:// or https://')),
    port: opt('Default 9200.', $.port),
    preset: opt('Default single_node_cluster.', literals(['single_node_cluster', 'small_cluster', 'large_cluster'])),
    user: opt('ES_USER. Default: no authentication.', Type.String({ minLength: 1 })),
    password: opt('ES_PASS. Default: no authentication.', $.secretKeyRef),
    prefix: opt('ES_PREFIX; give each instance its own when several share a cluster.', pattern('^[a-z0-9_-]+$', "lowercase letters, digits, '_' and '-'")),
    deploy: opt('The `tootctl search deploy` Job search-deploy-<reindex>, run once per value of reindex.', obj({
      enabled: opt('Default true.', Type.Boolean()),
      concurrency: opt('--concurrency: indexing threads, each with a database connection. Default 5.', Type.Integer({ minimum: 1, maximum: 32 })),
      batchSize: opt('--batch-size. Default 100.', Type.Integer({ minimum: 1, maximum: 10000 })),
      reindex: opt('Names the Job search-deploy-<reindex>; change it (e.g. 1 -> 2) to run a full re-index. Default 1.', raw<string | number>({
        type: ['string', 'integer'], minimum: 1, pattern: '^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$',
        ...patternAllowed(REINDEX_ALLOWED), ...allowed(REINDEX_ALLOWED),
      })),
    })),
    caCertificate: opt("ES_CA_FILE: CA bundle to verify an https:// host with. Default the image's system bundle.", $.fileRef),
  })),
  translation: opt('Post translation through one service.', obj({
    deepl: opt('DeepL (DEEPL_*).', obj({
      apiKey: prop('DEEPL_API_KEY.', $.secretKeyRef),
      plan: opt('DEEPL_PLAN. Default free.', literals(['free', 'pro'])),
    })),
    libreTranslate: opt('A LibreTranslate server (LIBRE_TRANSLATE_*).', obj({
      endpoint: prop('LIBRE_TRANSLATE_ENDPOINT.', $.httpUrl),
      apiKey: opt('LIBRE_TRANSLATE_API_KEY.', $.secretKeyRef),
    })),
  }, { ...allowedFields('one translation service: deepl or libreTranslate'), maxProperties: 1 })),
  captcha: opt('A captcha on the sign-up confirmation page.', obj({
    hcaptcha: prop('hCaptcha (HCAPTCHA_*).', obj({
      siteKey: prop('HCAPTCHA_SITE_KEY (public).', pattern('^[A-Za-z0-9-]+$', "an hCaptcha site key (letters, digits and '-')")),
      secretKey: prop('HCAPTCHA_SECRET_KEY.', $.secretKeyRef),
    })),
  })),
  secrets: opt("The Secrets the instance reads and how they reach the cluster (dist/<instance>/SECRETS.md lists them).", obj({
    name: opt("The Secret holding Mastodon's own keys (SECRET_KEY_BASE, VAPID_*, ACTIVE_RECORD_ENCRYPTION_*, and OTP_SECRET on 4.3), one key per variable name. Default mastodon-secrets.", $.dnsSubdomain),
    delivery: opt('How the Secrets reach the cluster. manual (default): created by hand (SECRETS.md has the commands). external-secrets: an ExternalSecret per Secret (External Secrets Operator), from secrets.externalSecrets.store, with SECRET_KEY_BASE and the Dragonfly passwords generated in the cluster. sealed-secrets: SealedSecrets, encrypted for the cluster, committed.', literals(['manual', 'external-secrets', 'sealed-secrets'])),
    external: opt('Secrets made by other means (another controller, another team): the delivery renders nothing for them and SECRETS.md lists them as external.', Type.Array($.dnsSubdomain, { uniqueItems: true })),
    externalSecrets: opt('delivery external-secrets: where the values come from.', obj({
      store: prop('The SecretStore (in the instance namespace) or ClusterSecretStore that holds the values.', obj({
        kind: prop('SecretStore or ClusterSecretStore.', literals(['SecretStore', 'ClusterSecretStore'])),
        name: prop('Its name.', $.dnsSubdomain),
      })),
      remoteKeyPrefix: opt("The store's keys are <remoteKeyPrefix>/<Secret>, one property per Secret key. Default mastodon-cdk8s/<instance>.", pattern('^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$', "a key path such as mastodon-cdk8s/example: letters, digits, '_', '.', '-', separated by '/'")),
      refreshInterval: opt('How often the values read from the store are read again (the generated ones never are). Default 1h.', pattern('^([0-9]+(ms|s|m|h))+$', 'a duration such as 1h, 30m or 1h30m')),
    })),
  })),
  edge: opt('How traffic reaches web and streaming: an Ingress pair (ingress-nginx) or a Gateway with HTTPRoutes (Gateway API). Needs certManager for the certificate.', obj({
    kind: prop("ingress: ingress-nginx (retired in March 2026). gateway: Gateway API v1, e.g. DOKS's managed Cilium Gateway (Kubernetes 1.33+, VPC-native).", literals(['ingress', 'gateway'])),
    className: opt("The IngressClass (default nginx) or GatewayClass (default cilium, DOKS's managed Gateway; check with kubectl get gatewayclass).", $.dnsSubdomain),
    streamingDomain: opt('A host of its own for the streaming API; sets STREAMING_API_BASE_URL=wss://<host>. Default: streaming only under the web domain.', $.hostname),
    trustedProxyIps: opt("TRUSTED_PROXY_IP: the proxies whose X-Forwarded-For Mastodon believes. Replaces Mastodon's default (loopback and every private range).", Type.Array(pattern('^([0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(/[0-9]{1,3})?)$', 'an IPv4 or IPv6 address or CIDR, such as 10.0.0.0/8 or fd00::/8'), { minItems: 1, uniqueItems: true })),
    tls: opt('The certificate cert-manager issues for every host of the instance.', obj({
      issuer: opt("Which Let's Encrypt ClusterIssuer signs it. Default production; use staging while testing (its rate limits are generous).", literals(['staging', 'production'])),
      secretName: opt('The Secret the certificate is stored in. Default <instance>-tls.', $.dnsSubdomain),
    })),
    loadBalancerAnnotations: opt("Annotations of the edge's load balancer Service, e.g. service.beta.kubernetes.io/do-loadbalancer-*: with gateway, the Gateway's spec.infrastructure.annotations; with ingress, the ingress-nginx controller Service (PROXY protocol there also turns on use-proxy-protocol).", map(namePattern('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$', 'an annotation key such as service.beta.kubernetes.io/do-loadbalancer-name'), Type.String())),
  })),
  certManager: opt("cert-manager ClusterIssuers for Let's Encrypt staging and production (cluster-scoped, named letsencrypt-<environment>-<instance>).", obj({
    email: prop("The ACME account's e-mail address (expiry notices).", pattern('^[^@\\s<>]+@[^@\\s<>]+$', 'an e-mail address such as admin@example.social')),
    solver: opt('http01 (default): challenges answered through the edge. dns01: TXT records through DigitalOcean DNS (needs digitalOceanToken).', literals(['http01', 'dns01'])),
    digitalOceanToken: opt("dns01: a DigitalOcean API token with DNS write access, in a Secret in cert-manager's namespace (cert-manager).", $.secretKeyRef),
    waitInsteadOfSelfCheck: opt("Skip cert-manager's self-check and wait this long before asking Let's Encrypt to validate (cert-manager 1.21+); the fix for the DigitalOcean load balancer hairpin.", pattern('^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', 'a duration such as 30s or 2m')),
    accountKeySecrets: opt("Secrets in cert-manager's namespace holding the ACME account keys (cert-manager creates them). Default letsencrypt-<environment>-<instance>-account-key; instances that share one must share the e-mail too.", obj({
      staging: opt("The account key Secret for Let's Encrypt staging. Default letsencrypt-staging-<instance>-account-key.", $.dnsSubdomain),
      production: opt("The account key Secret for Let's Encrypt production. Default letsencrypt-production-<instance>-account-key.", $.dnsSubdomain),
    })),
  })),
  networkPolicy: opt('NetworkPolicies of the instance namespace. Default: ingress only from the edge (the namespace ingress-nginx) and to Dragonfly; egress open.', $.networkPolicy),
  argocd: prop('Argo CD delivery: where Argo CD finds this repository, and which platform operators this instance installs.', obj({
    repoURL: prop('The Git repository Argo CD reads dist/ from.', pattern('^(https://|ssh://|git@)[^\\s]+$', 'a Git URL such as https://github.com/example/mastodon-gitops.git or git@github.com:example/mastodon-gitops.git')),
    targetRevision: opt('Branch, tag or commit Argo CD follows. Default HEAD (the default branch).', pattern('^[^\\s]+$', 'a branch, tag or commit without spaces, such as main')),
    path: opt('Folder of the rendered output in the repository. Default dist.', pattern('^[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$', 'a relative folder path such as dist or deploy/dist')),
    namespace: opt('Namespace Argo CD runs in, where Applications and AppProjects live. Default argocd.', $.dnsLabel),
    project: opt("The AppProject of this instance's Applications. Default: the instance id.", $.dnsLabel),
    server: opt("The destination cluster's API server. Default https://kubernetes.default.svc (the cluster Argo CD runs in).", pattern('^https://[^\\s/]+(/[^\\s]*)?$', 'an https:// URL such as https://kubernetes.default.svc')),
    cluster: opt('A short name of the destination cluster. With config/clusters/<cluster>.yaml, it selects that file, which installs the cluster\'s operators once for all its instances (README, "Clusters"). Without one, this instance\'s own operator Applications are named <operator>-<cluster>, so one Argo CD can install them into several clusters. Default: none (named <operator>).', $.dnsLabel),
    operators: opt('Cluster-wide operators this instance installs: auto (default) = the ones it needs; none = installed by another instance or the cluster admin; or an explicit list (for the one instance that installs them for a whole cluster).', raw<'auto' | 'none' | Static<typeof operatorId>[]>({
      oneOf: [
        pattern('^(auto|none)$', OPERATORS_ALLOWED),
        Type.Array(operatorId, { uniqueItems: true }),
      ],
      ...allowed(OPERATORS_ALLOWED),
    })),
    applicationSet: opt("Generate this instance's root Application from the ApplicationSet mastodon-instances of its Argo CD (dist/_argocd/<argocd namespace>/, bootstrapped once for every instance; README, \"One ApplicationSet for every instance\"). Its own bootstrap/ root stays, for bootstrapping by hand. Default: off.", obj({
      rolloutGroup: opt('Progressive syncs (RollingSync): the roots of canary, then early, then main (a quarter at a time) are synced, each step once the previous is Healthy. Any instance setting one turns RollingSync on for its ApplicationSet. Default main.', literals(['canary', 'early', 'main'], allowed('canary, early or main'))),
    })),
  })),
  monitoring: opt("Prometheus metrics (Mastodon 4.4 or newer): Mastodon's exporter in web (a bin/prometheus_exporter sidecar) and Sidekiq (its in-process server), streaming's and Dragonfly's /metrics, a PodMonitor per workload (prometheus-operator), and NetworkPolicies that admit the scraper's pods to the metrics ports only. Default: off.", obj({
    enabled: opt('Render the metrics, PodMonitors and scrape policies. Default false.', Type.Boolean()),
    scraper: opt("The Prometheus pods that scrape the instance: they alone may reach the metrics ports.", obj({
      namespace: opt('Namespace of the Prometheus pods. Default kube-prometheus-stack (DigitalOcean 1-click).', $.dnsLabel),
      podLabels: opt('Labels of the Prometheus pods (both this and namespace must match). Default app.kubernetes.io/name: prometheus.', $.labelMap),
    })),
    selectorLabels: opt("Labels on the PodMonitors by which the Prometheus selects them (kube-prometheus-stack: release: <its Helm release>). Default release: kube-prometheus-stack.", $.labelMap),
    webDetailedMetrics: opt('MASTODON_PROMETHEUS_EXPORTER_WEB_DETAILED_METRICS: request counts by status, controller and action, and their latency. Default true.', Type.Boolean()),
    sidekiqDetailedMetrics: opt('MASTODON_PROMETHEUS_EXPORTER_SIDEKIQ_DETAILED_METRICS: per-job, per-queue (backlog, latency) and global Sidekiq stats. Default true.', Type.Boolean()),
    slo: opt('The availability objective: multi-window, multi-burn-rate alerts (PrometheusRule <id>-slo) on the web 5xx ratio and on streaming being reachable.', obj({
      availability: opt('The share of a 30-day period that is good: from 0.931 (below it the fastest alert, at 14.4 times the error budget, would need an error ratio above 1 and could never fire) to below 1. Default 0.999.', Type.Number({ ...allowed('a number from 0.931 to below 1, such as 0.999 or 0.995'), minimum: 0.931, exclusiveMaximum: 1 })),
    })),
    exporterSidecar: opt("The web pods' prometheus-exporter container.", obj({
      resources: opt('Default: from the sizing factors (EXPORTER_SIDECAR_FACTORS).', $.resources),
    })),
    queues: opt('Alert thresholds per Sidekiq queue (PrometheusRule <id>-operations; needs sidekiqDetailedMetrics), overriding the defaults: default, push, ingress, mailers, scheduler 5 minutes and 10000 jobs; pull and fasp 30 minutes and 50000 jobs.', map(namePattern('^[a-z][a-z0-9_]*$', "a queue name: lowercase letters, digits and '_', starting with a letter"), obj({
      latencyMinutes: opt('MastodonSidekiqQueueLatencyHigh: the oldest job has waited longer than this many minutes (for 10 minutes).', Type.Integer({ ...allowed('1 to 1440 minutes'), minimum: 1, maximum: 1440 })),
      backlog: opt('MastodonSidekiqQueueBacklogHigh: more jobs than this wait in the queue (for 15 minutes).', Type.Integer({ ...allowed('1 to 10000000 jobs'), minimum: 1, maximum: 10000000 })),
    }))),
    dashboard: opt("A Grafana dashboard of the instance, as a ConfigMap <id>-grafana-dashboard that Grafana's dashboard sidecar collects by its label.", obj({
      enabled: opt('Render the dashboard. Default true.', Type.Boolean()),
      label: opt("The label the sidecar looks for (its sidecar.dashboards.label). Default grafana_dashboard (kube-prometheus-stack's and the grafana chart's).", pattern('^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$', 'a label key such as grafana_dashboard')),
      labelValue: opt('Its value (sidecar.dashboards.labelValue). Default "1" (kube-prometheus-stack\'s; the grafana chart alone takes any).', pattern('^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$', "a label value: at most 63 letters, digits, '-', '_' or '.'")),
    })),
    alerts: opt('Operational alerts that read exporters running outside the instance; each must be scraped by the same Prometheus.', obj({
      backups: opt('MastodonBackupMissed, MastodonBackupNeverSucceeded: no successful backup within twice its schedule (kube-state-metrics). Default true.', Type.Boolean()),
      certificates: opt("MastodonCertificateExpiring, MastodonCertificateNotReady: the edge's certificate (cert-manager's metrics, prometheus.servicemonitor.enabled in its chart). Default true.", Type.Boolean()),
      keda: opt("MastodonKedaScalerErrors: KEDA cannot read an autoscaled pool's queues (KEDA operator metrics, prometheus.operator.enabled in its chart). Default true; only with autoscaled pools.", Type.Boolean()),
      argocd: opt("MastodonArgoCdAppUnhealthy: one of the instance's Argo CD Applications is Degraded or Missing (Argo CD's application-controller metrics). Default false.", Type.Boolean()),
    })),
  })),
  backups: opt('Backups as CronJobs: pg_dump of the database and a copy of the media bucket, encrypted with rclone crypt before upload.', obj({
    destination: prop('The S3-compatible bucket that receives the backups (Backblaze B2, Spaces, AWS S3).', obj({
      endpoint: prop("The bucket's S3 endpoint, https:// only (backups travel encrypted).", pattern('^https://[^/]+$', 'an https:// URL without a path, such as https://s3.us-west-004.backblazeb2.com')),
      region: prop("The bucket's region.", Type.String({ minLength: 1 })),
      bucket: prop('The bucket receiving the backups.', $.bucketName),
      prefix: opt('The folder in the bucket. Default: the instance id.', pattern('^[a-z0-9]([-a-z0-9_/]*[a-z0-9])?$', "a path of lowercase letters, digits, '-', '_' and '/', not starting or ending with '/'")),
      accessKeyId: prop('Access key id of the backup bucket.', $.secretKeyRef),
      secretAccessKey: prop('Secret access key of the backup bucket.', $.secretKeyRef),
      serverSideEncryption: opt('Also request server-side encryption (SSE AES256: AWS, Backblaze B2). Default false.', Type.Boolean()),
    })),
    encryption: prop('rclone crypt keys; store the output of `rclone obscure`, and keep the passwords offline too: without them no backup can be read.', obj({
      password: prop('The rclone crypt password, as printed by rclone obscure.', $.secretKeyRef),
      salt: opt('A second rclone crypt password (salt), also obscured. Default: none.', $.secretKeyRef),
    })),
    database: opt('pg_dump of the direct connection (custom format).', obj({
      schedule: opt('Default every 6 hours: "0 */6 * * *" (UTC).', $.cronSchedule),
      retentionDays: opt('Dumps older than this are deleted by the job after a successful upload. Default 14.', Type.Integer({ minimum: 1, maximum: 3650 })),
      postgresVersion: opt("pg_dump's major version; must be >= the server's. Default 17.", literals([16, 17, 18])),
      maxDumpSize: opt('Disk for one compressed dump. Default 32Gi.', $.quantityStorage),
      beforeUpgrade: opt('Also dump before the migrations of a new mastodon.version (a PreSync hook; a failed dump stops the upgrade), once per version. Default true.', Type.Boolean()),
    })),
    media: opt('Daily rclone sync of the media bucket (storage.s3) into the backup bucket.', obj({
      schedule: opt('Default daily at 04:30 UTC: "30 4 * * *".', $.cronSchedule),
    })),
  })),
  maintenance: opt('Housekeeping CronJobs running tootctl in the Mastodon image, like Sidekiq. They complement the built-in vacuum of the "Content retention" settings, which keeps no limit on avatars, headers, orphans or accounts. A start and run limit inside a database backup window is refused.', obj({
    mediaRemove: opt('`tootctl media remove`: cached remote attachments. On by default, weekly like the official chart (an hour later, clear of the midnight backup).', obj({
      enabled: opt('Default true.', Type.Boolean()),
      schedule: opt('Default Sundays 01:00 UTC: "0 1 * * 0".', $.cronSchedule),
      days: opt('--days: age of the attachments removed. Default 7.', Type.Integer({ minimum: 1, maximum: 3650 })),
      concurrency: opt('--concurrency: threads, each with a database connection (plus one). Default 5.', Type.Integer({ minimum: 1, maximum: 64 })),
      keepInteracted: opt('--keep-interacted: keep media of posts a local user interacted with (Mastodon 4.6 or newer). Default false.', Type.Boolean()),
    })),
    profileMediaRemove: opt('A second `tootctl media remove` run for remote avatars and headers (upstream refuses both in one run). Off by default.', obj({
      enabled: opt('Default false.', Type.Boolean()),
      schedule: opt('Default Wednesdays 01:00 UTC: "0 1 * * 3".', $.cronSchedule),
      mode: opt('--prune-profiles (avatars and headers) or --remove-headers (headers only). Default remove-headers.', literals(['prune-profiles', 'remove-headers'])),
      days: opt('--days: age of the accounts\' media. Default 30.', Type.Integer({ minimum: 1, maximum: 3650 })),
      includeFollows: opt('--include-follows: also accounts that local users follow or are followed by. Default false.', Type.Boolean()),
      concurrency: opt('--concurrency. Default 5.', Type.Integer({ minimum: 1, maximum: 64 })),
    })),
    previewCardsRemove: opt('`tootctl preview_cards remove`: thumbnails of link previews. On by default.', obj({
      enabled: opt('Default true.', Type.Boolean()),
      schedule: opt('Default Wednesdays 02:00 UTC: "0 2 * * 3".', $.cronSchedule),
      days: opt('--days, at least 14 (upstream advises it: newer cards are still shown). Default 180.', Type.Integer({ minimum: 14, maximum: 3650 })),
      concurrency: opt('--concurrency. Default 5.', Type.Integer({ minimum: 1, maximum: 64 })),
      linkOnly: opt('--link: only link-type cards. Default false.', Type.Boolean()),
    })),
    mediaRemoveOrphans: opt('`tootctl media remove-orphans`: files no attachment refers to. It lists the whole bucket (slow, billed per request), so it is off by default and monthly.', obj({
      enabled: opt('Default false.', Type.Boolean()),
      schedule: opt('Default on the 1st at 19:00 UTC: "0 19 1 * *".', $.cronSchedule),
      prefix: opt('--prefix: only keys under it. Default: the whole bucket.', Type.String({ minLength: 1 })),
    })),
    accountsPrune: opt('`tootctl accounts prune`: remote accounts nobody interacted with. Off by default.', obj({
      enabled: opt('Default false.', Type.Boolean()),
      schedule: opt('Default Saturdays 02:00 UTC: "0 2 * * 6".', $.cronSchedule),
      concurrency: opt('--concurrency. Default 5.', Type.Integer({ minimum: 1, maximum: 64 })),
    })),
    statusesRemove: opt('`tootctl statuses remove`: remote posts nobody local interacted with. It creates work tables and indexes, so it runs on the direct connection. Off by default, monthly. --compress-database is not offered: it locks the statuses table, run it by hand in a maintenance window.', obj({
      enabled: opt('Default false.', Type.Boolean()),
      schedule: opt('Default on the 15th at 19:00 UTC: "0 19 15 * *".', $.cronSchedule),
      days: opt('--days: age of the posts removed. Default 90.', Type.Integer({ minimum: 1, maximum: 3650 })),
      batchSize: opt('--batch-size: records per batch. Default 1000.', Type.Integer({ minimum: 1, maximum: 100000 })),
      cleanFollowed: opt('--clean-followed: also posts of remote accounts local users follow. Default false.', Type.Boolean()),
    })),
  })),
  placement: opt("Where every pod of the instance runs (web, streaming, Sidekiq, Dragonfly, jobs, backups) unless a component gives its own: nodePool (a DOKS node pool), nodeSelector, tolerations, node affinity. Default: anywhere.", placement),
  images: opt('Where the images come from: a registry mirror, a fork (glitch-soc), a tag and digest per image, the Secrets to pull them with. Default: upstream images at their pinned tags.', images),
  nodePools: opt("The DOKS node pools of the cluster the instance runs on (count × size, each node's allocatable): plan says whether the pods fit, and whether they still fit with one node drained. Default: not planned.", nodePools),
}, { '$schema': 'http://json-schema.org/draft-07/schema#', '$id': 'https://mastodon-cdk8s.local/schemas/instance.schema.json', title: 'mastodon-cdk8s instance', description: 'One Mastodon instance (config/<instance>/instance.yaml). Non-secret values only: secrets are referenced by Secret name and key.', definitions }), ['namespace', 'mastodon', 'database', 'argocd', 'storage']);

