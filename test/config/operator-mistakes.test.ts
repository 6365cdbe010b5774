import { loadInstance } from '../../lib/app/load';
import { exampleVariant, objectAt, problemsOf, renderExample, renderProblemsOf, replaceOnce, renderedFiles } from '../helpers';

const withExtraEnv = (env: string) => exampleVariant({ instance: (t) => replaceOnce(t, '  defaultLocale: en\n', `  defaultLocale: en\n  extraEnv:\n${env}`) });

/**
 * DigitalOcean's managed PostgreSQL: PgBouncer pools listen on 25061, the database itself on
 * 25060, and it accepts encrypted connections only.
 * Sources: https://docs.digitalocean.com/products/databases/postgresql/how-to/manage-connection-pools/
 * and ../shared/reference/platform-facts.md:474 ("Ports: direct connection 25060, pool 25061 … sslmode=require").
 */
describe('a DigitalOcean managed database is checked against what it accepts', () => {
  test('GIVEN the direct port 25060 as the pool port THEN the error names the pool port 25061', () => {
    expect(problemsOf(exampleVariant({ instance: (t) => replaceOnce(t, '    port: 25061', '    port: 25060') }))).toEqual([
      "instance.yaml:34:11: database.pool.port: 25060 is the direct port of DigitalOcean's managed PostgreSQL: every Mastodon process would bypass PgBouncer and open its own server connection; allowed: 25061, where the connection pools listen (or leave it out)",
    ]);
  });

  test('GIVEN the pool port 25061 as the direct port THEN the error names the direct port 25060', () => {
    expect(problemsOf(exampleVariant({ instance: (t) => replaceOnce(t, '    port: 25060\n    name: mastodon_production', '    port: 25061\n    name: mastodon_production') }))).toEqual([
      "instance.yaml:39:11: database.direct.port: 25061 is the PgBouncer port of DigitalOcean's managed PostgreSQL, and migrations cannot run through a transaction-mode pool; allowed: 25060, the direct connection (or leave it out)",
    ]);
  });

  test.each(['disable', 'allow', 'prefer'])('GIVEN sslmode %s THEN it is refused: the connection could be unencrypted', (mode) => {
    expect(problemsOf(exampleVariant({ instance: (t) => replaceOnce(t, 'sslmode: require', `sslmode: ${mode}`) }))).toEqual([
      `instance.yaml:30:12: database.sslmode: "${mode}" may connect without TLS, and DigitalOcean's managed PostgreSQL accepts encrypted connections only; allowed: require (the default), verify-ca or verify-full`,
    ]);
  });

  test('GIVEN a database of its own (not DigitalOcean) THEN its ports and sslmode are the operator\'s choice', () => {
    const dir = exampleVariant({ instance: (t) => replaceOnce(replaceOnce(t, /host: private-example-db\S+/, 'host: postgres.internal'), 'sslmode: require', 'sslmode: disable') });
    expect(() => loadInstance(dir)).not.toThrow();
  });
});

describe('typed settings win over extraEnv, and a collision is an error at its line', () => {
  test('GIVEN extraEnv overriding LOCAL_DOMAIN, DB_HOST, RAILS_ENV, DB_POOL and WEB_CONCURRENCY THEN each is an error naming where the render sets it', () => {
    const dir = withExtraEnv('    LOCAL_DOMAIN: other.social\n    DB_HOST: db.example\n    RAILS_ENV: development\n    DB_POOL: "7"\n    WEB_CONCURRENCY: "4"\n');
    const hooks = 'ConfigMap/mastodon-env, Job/db-migrate-pre (container mastodon), Job/db-migrate-post (container mastodon)';
    const why = 'which win over extraEnv; allowed: the typed setting for it (README, "instance.yaml in brief"), or an extraEnv name the render does not set';
    expect(renderProblemsOf(dir)).toEqual([
      `instance.yaml:16:5: mastodon.extraEnv.LOCAL_DOMAIN: LOCAL_DOMAIN is set by the render from typed settings (in ${hooks}), ${why}`,
      `instance.yaml:17:5: mastodon.extraEnv.DB_HOST: DB_HOST is set by the render from typed settings (in ${hooks}), ${why}`,
      `instance.yaml:18:5: mastodon.extraEnv.RAILS_ENV: RAILS_ENV is set by the render from typed settings (in ${hooks}), ${why}`,
      `instance.yaml:19:5: mastodon.extraEnv.DB_POOL: DB_POOL is set by the render from typed settings (in Deployment/web (container mastodon), Deployment/streaming (container mastodon), Deployment/sidekiq-default (container mastodon), …), ${why}`,
      `instance.yaml:20:5: mastodon.extraEnv.WEB_CONCURRENCY: WEB_CONCURRENCY is set by the render from typed settings (in Deployment/web (container mastodon)), ${why}`,
    ]);
    // A secret setting with a typed setting is refused before the render, pointing at that setting.
    expect(problemsOf(withExtraEnv('    REDIS_URL: redis://elsewhere:6379/0\n'))).toEqual([
      'instance.yaml:16:5: mastodon.extraEnv.REDIS_URL: REDIS_URL holds a secret (read at M:lib/mastodon/redis_configuration.rb:40; M:streaming/redis.js:80-82), and extraEnv is committed to Git; allowed: the typed setting redis.default',
    ]);
  });

  test('GIVEN every variable the example renders for Mastodon\'s containers as extraEnv THEN every one is refused', () => {
    const tree = renderExample();
    const names = new Set(Object.keys(objectAt(tree, 'example/mastodon/ConfigMap.mastodon-env.yaml').data));
    for (const file of ['Deployment.web.yaml', 'Deployment.streaming.yaml', 'Deployment.sidekiq-default.yaml', 'Job.db-migrate-pre.yaml']) {
      for (const c of objectAt(tree, `example/mastodon/${file}`).spec.template.spec.containers) for (const e of c.env ?? []) names.add(e.name);
    }
    expect(names.size).toBeGreaterThan(40);
    const env = (list: string[]) => withExtraEnv(list.map((n) => `    ${n}: collides\n`).join(''));
    const refused = (problems: string[]) => new Set(problems.map((p) => /mastodon\.extraEnv\.([A-Z0-9_]+): /.exec(p)?.[1]));
    // Secret names are refused when loading (lib/checks/version.ts), the others when rendering.
    const atLoad = refused(problemsOf(env([...names])));
    const rest = [...names].filter((n) => !atLoad.has(n));
    // In chunks: a run reports its first 50 problems and counts the rest.
    const chunks = Array.from({ length: Math.ceil(rest.length / 25) }, (_, i) => rest.slice(i * 25, i * 25 + 25));
    const atRender = new Set(chunks.flatMap((chunk) => [...refused(renderProblemsOf(env(chunk)))]));
    expect(rest.filter((n) => !atRender.has(n))).toEqual([]);
  });

  test('GIVEN an extraEnv name the render does not set, and one equal to the typed value THEN both render, typed values untouched', () => {
    const tree = renderedFiles(withExtraEnv('    S3_OPEN_TIMEOUT: "10"\n    RAILS_ENV: production\n'));
    const data = objectAt(tree, 'variant/mastodon/ConfigMap.mastodon-env.yaml').data;
    expect(data.S3_OPEN_TIMEOUT).toBe('10');
    expect(data.RAILS_ENV).toBe('production');
  });
});

describe('messages show the whole mistake', () => {
  test('GIVEN a long host ending in :25060 THEN the message keeps the end where the mistake is', () => {
    const host = 'private-example-db-do-user-0000000-0.f.db.ondigitalocean.com:25060';
    const [problem] = problemsOf(exampleVariant({ instance: (t) => replaceOnce(t, /host: private-example-db\S+/, `host: ${host}`) }));
    expect(problem).toBe(`instance.yaml:27:9: database.host: "${host}" is not allowed; allowed: a host name such as social.example.com (no scheme, no port, no path)`);
  });

  test('GIVEN a value longer than 200 characters THEN the message shows its start and its end, and its length', () => {
    const long = `${'a'.repeat(300)}:25060`;
    const [problem] = problemsOf(exampleVariant({ instance: (t) => replaceOnce(t, /host: private-example-db\S+/, `host: ${long}`) }));
    expect(problem).toMatch(/database\.host: "a{119} … a{53}:25060" \(308 characters\) is not allowed/);
  });

  test.each([
    ['a duplicate key', (t: string) => replaceOnce(t, '  logLevel: warn\n', '  logLevel: warn\n  logLevel: info\n'), 'instance.yaml:14:3: mastodon.logLevel: the key "logLevel" is defined twice in this map (first at line 13); each key may appear once'],
    ['a tab as indentation', (t: string) => replaceOnce(t, '  logLevel: warn\n', '\tlogLevel: warn\n'), 'instance.yaml:13:1: YAML syntax: a tab is used for indentation; YAML indents with spaces only'],
    ['an unclosed quote', (t: string) => replaceOnce(t, '  logLevel: warn\n', '  logLevel: "warn\n'), 'instance.yaml:13:18: YAML syntax: a quoted value is not closed; add the closing quote'],
    ['a list as a key', (t: string) => replaceOnce(t, '  logLevel: warn\n', '  ? [a, b]\n  : warn\n'), 'instance.yaml:13:5: YAML syntax: a key must be a name, not a list or a map'],
  ])('GIVEN %s THEN a plain sentence at its line:col, not the YAML library\'s wording', (_, edit, expected) => {
    const problems = problemsOf(exampleVariant({ instance: edit }));
    expect(problems[0]).toBe(expected);
    expect(problems.join('\n')).not.toMatch(/Map keys|[Ii]mplicit|flow collection|token|Nested mappings|scalar/);
  });
});
