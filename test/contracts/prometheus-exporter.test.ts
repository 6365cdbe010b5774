import { spawnSync } from 'node:child_process';
import { objects, renderExample } from '../helpers';
import { describeWithRuby } from '../programs';

/**
 * CONTRACT: the web pods' collector is started with an empty metric prefix, so its metric names are
 * those of Sidekiq's in-process server, which sets none (mastodon/mastodon@cebb47f7f7
 * lib/mastodon/prometheus_exporter/local_server.rb:11).
 *
 * discourse/prometheus_exporter@v2.3.1 exe/prometheus_exporter parses its flags with Ruby's
 * OptionParser: `-p/--port INTEGER` (:20-24, `o.to_i`), `-b/--bind STRING` (:26-30, `o.to_s`),
 * `--prefix METRIC_PREFIX` (:38-40, `o.to_s`), `-g/--histogram` (:53-55); the Runner then uses
 * `@prefix || PrometheusExporter::DEFAULT_PREFIX` (lib/prometheus_exporter/server/runner.rb:94-96),
 * DEFAULT_PREFIX = "ruby_" (lib/prometheus_exporter.rb:10). The same definitions run here on the real
 * Ruby against the rendered arguments: an empty string must survive both (Ruby's "" is truthy).
 */
const PROGRAM = `
require "optparse"; require "json"
options = {}
OptionParser.new do |opt|
  opt.on("-p", "--port INTEGER", "port") { |o| options[:port] = o.to_i }
  opt.on("-b", "--bind STRING", "bind") { |o| options[:bind] = o.to_s }
  opt.on("--prefix METRIC_PREFIX", "prefix") { |o| options[:prefix] = o.to_s }
  opt.on("-g", "--histogram", "histogram") { |o| options[:histogram] = true }
end.parse!(ARGV)
options[:prefix] = options[:prefix] || "ruby_"
puts JSON.generate(options)
`;

const suite = describeWithRuby('require "optparse"', 'apt-get install ruby');

suite('CONTRACT discourse/prometheus_exporter@v2.3.1 exe/prometheus_exporter:20-55, server/runner.rb:94-96: the rendered sidecar flags', () => {
  test('GIVEN the rendered web pod WHEN Ruby parses the sidecar\'s args THEN it binds every interface on 9394, with histograms and no prefix', () => {
    const web = objects(renderExample()).get('example/mastodon/Deployment.web.yaml');
    const sidecar = web.spec.template.spec.containers.find((c: any) => c.name === 'prometheus-exporter');
    const run = spawnSync('ruby', ['-e', PROGRAM, '--', ...sidecar.args], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ bind: '0.0.0.0', port: 9394, prefix: '', histogram: true });
  });

  test('GIVEN no --prefix THEN the gem would prefix ruby_ (the canary: the program can tell)', () => {
    const run = spawnSync('ruby', ['-e', PROGRAM, '--', '--port', '9394'], { encoding: 'utf8' });
    expect(JSON.parse(run.stdout)).toEqual({ port: 9394, prefix: 'ruby_' });
  });
});
