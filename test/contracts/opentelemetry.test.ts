import { spawnSync } from 'node:child_process';
import { OTEL_ENV } from '../../lib/catalog/opentelemetry';
import { EXPORTER_CONTAINER } from '../../lib/catalog/prometheus-exporter';
import { exampleVariant, objects, problemsOf, renderedFiles } from '../helpers';
import { describeWithRuby } from '../programs';

/**
 * CONTRACT: tracing settings become the variables Mastodon's tracing reads
 * (config/initializers/opentelemetry.rb at glitch-soc/mastodon v4.3.23, v4.4.22, v4.5.15, v4.6.5 and
 * mastodon/mastodon@cebb47f7f7: :6 starts it on any OTEL_*_ENDPOINT; :62-69 (4.3: :59-66) name the
 * services) and the OTLP exporter reads (open-telemetry/opentelemetry-ruby
 * opentelemetry-exporter-otlp/v0.34.1 exporter/otlp/lib/opentelemetry/exporter/otlp/exporter.rb:55
 * headers, :419-424 endpoint + `/v1/traces`; the same at v0.29.0 and v0.30.0, which 4.3.0 and 4.4.0 pin).
 */

const TRACING = 'tracing:\n  endpoint: https://otlp.example.net:4318\n  headers: { name: otel, key: headers }\n';
const render = (extra: string) => objects(renderedFiles(exampleVariant({ instance: (t) => `${t}\n${extra}` }, 'example')));

describe('CONTRACT OpenTelemetry settings', () => {
  const all = render(TRACING);
  const env = all.get('example/mastodon/ConfigMap.mastodon-env.yaml').data;

  test('GIVEN an endpoint THEN the shared env names it, with the namespace as service prefix and "-" between', () => {
    expect(env[OTEL_ENV.endpoint]).toBe('https://otlp.example.net:4318');
    expect(env[OTEL_ENV.serviceNamePrefix]).toBe('mastodon');
    expect(env[OTEL_ENV.serviceNameSeparator]).toBe('-');
    expect(OTEL_ENV).toEqual({
      endpoint: 'OTEL_EXPORTER_OTLP_ENDPOINT', serviceNamePrefix: 'OTEL_SERVICE_NAME_PREFIX',
      serviceNameSeparator: 'OTEL_SERVICE_NAME_SEPARATOR', headers: 'OTEL_EXPORTER_OTLP_HEADERS',
    });
  });

  test('GIVEN headers THEN every Rails container reads them from the Secret, streaming does not, and no value is rendered', () => {
    const containers = [...all.entries()].flatMap(([file, o]) => (o.spec?.template?.spec?.containers ?? o.spec?.jobTemplate?.spec?.template?.spec?.containers ?? [])
      .filter((c: any) => /ghcr\.io\/mastodon\/mastodon(-streaming)?:/.test(c.image)).map((c: any) => ({ file, c })));
    const headers = (c: any) => (c.env ?? []).find((e: any) => e.name === OTEL_ENV.headers);
    // Not the web pods' prometheus-exporter sidecar: the gem's collector, not Rails.
    const rails = containers.filter(({ c }) => !c.image.includes('streaming') && c.name !== EXPORTER_CONTAINER);
    expect(rails.length).toBeGreaterThan(3);
    for (const { file, c } of rails) expect([file, headers(c)?.valueFrom]).toEqual([file, { secretKeyRef: { name: 'otel', key: 'headers' } }]);
    for (const { c } of containers.filter(({ c }) => c.image.includes('streaming'))) expect(headers(c)).toBeUndefined();
    expect(all.get('example/mastodon/ConfigMap.mastodon-env.yaml').data[OTEL_ENV.headers]).toBeUndefined();
  });

  test('GIVEN a prefix and separator THEN they are rendered as given', () => {
    const d = render(`${TRACING}  serviceNamePrefix: social\n  serviceNameSeparator: /\n`).get('example/mastodon/ConfigMap.mastodon-env.yaml').data;
    expect([d[OTEL_ENV.serviceNamePrefix], d[OTEL_ENV.serviceNameSeparator]]).toEqual(['social', '/']);
  });

  test('GIVEN restricted egress THEN the collector\'s port is open', () => {
    const policies = [...render(`${TRACING}networkPolicy:\n  egress: restricted\n`).values()].filter((o) => o.kind === 'NetworkPolicy');
    const ports = policies.flatMap((p) => (p.spec.egress ?? []).flatMap((e: any) => (e.ports ?? []).map((x: any) => x.port)));
    expect(ports).toContain(4318);
  });

  test('GIVEN an endpoint with a password THEN it is refused without repeating it', () => {
    const dir = exampleVariant({ instance: (t) => `${t}\ntracing:\n  endpoint: https://user:hunter2@otlp.example.net\n` });
    const problems = problemsOf(dir);
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/tracing\.endpoint: .*allowed: an http:\/\/ or https:\/\/ URL without a user or password/)]));
    expect(problems.every((p) => p.includes('tracing.endpoint'))).toBe(true);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

/** Mastodon's naming (opentelemetry.rb:62-69) and the exporter's endpoint join (exporter.rb:422-424), run on the rendered values. */
const PROGRAM = `
require "uri"; require "json"
prefix = ENV.fetch("OTEL_SERVICE_NAME_PREFIX", "mastodon")
separator = ENV.fetch("OTEL_SERVICE_NAME_SEPARATOR", "/")
names = ARGV.map { |program| program =~ /puma/ ? "#{prefix}#{separator}web" : "#{prefix}#{separator}#{program.split('/').last}" }
endpoint = ENV["OTEL_EXPORTER_OTLP_ENDPOINT"] || "http://localhost:4318"
endpoint += "/" unless endpoint.end_with?("/")
puts JSON.generate(names: names, traces: URI.join(endpoint, "v1/traces").to_s)
`;

describeWithRuby('require "uri"', 'apt-get install ruby')('CONTRACT Mastodon\'s service names and the OTLP traces URL, in Ruby', () => {
  const run = (env: Record<string, string>) => JSON.parse(spawnSync('ruby', ['-e', PROGRAM, 'puma: cluster worker 0', '/opt/mastodon/bin/sidekiq', 'bin/tootctl'], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } }).stdout);

  test('GIVEN the rendered env THEN the services are <namespace>-web, -sidekiq, -tootctl and traces go to <endpoint>/v1/traces', () => {
    const env = render(TRACING).get('example/mastodon/ConfigMap.mastodon-env.yaml').data;
    const pick = Object.fromEntries(Object.values(OTEL_ENV).filter((k) => env[k] !== undefined).map((k) => [k, env[k]]));
    expect(run(pick)).toEqual({ names: ['mastodon-web', 'mastodon-sidekiq', 'mastodon-tootctl'], traces: 'https://otlp.example.net:4318/v1/traces' });
  });

  test('GIVEN an endpoint with a path THEN the path is kept (the exporter adds the slash) — the canary: without settings, upstream defaults', () => {
    expect(run({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.net/otlp' }).traces).toBe('https://collector.example.net/otlp/v1/traces');
    expect(run({})).toEqual({ names: ['mastodon/web', 'mastodon/sidekiq', 'mastodon/tootctl'], traces: 'http://localhost:4318/v1/traces' });
  });
});
