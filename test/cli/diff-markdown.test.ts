import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleVariant, replaceOnce, runCli as run, tempDir } from '../helpers';

describe('mastodon-cdk8s diff --markdown for a pull request', () => {
  test('GIVEN a pool renamed and a new Secret WHEN diffed as Markdown THEN the Secret comes first, the rename reads as one, and the exit code stays 1', async () => {
    const config = exampleVariant({}, 'pr');
    const dist = path.join(tempDir(), 'dist');
    await run(['synth', '--config', config, '--out', dist]);
    const edit = (file: string, from: string, to: string) => fs.writeFileSync(path.join(config, file), replaceOnce(fs.readFileSync(path.join(config, file), 'utf8'), from, to));
    edit('queue-plan.yaml', '  scheduler:\n', '  cron:\n');
    edit('instance.yaml', 'apiKey: { name: deepl, key: api-key }', 'apiKey: { name: deepl-pro, key: api-key }');
    const result = await run(['diff', '--config', config, '--dist', dist, '--markdown']);
    expect(result.code).toBe(1);
    const md = result.stdout;
    expect(md).toContain('- new Secret `mastodon/deepl-pro`: key `api-key` (read as `DEEPL_API_KEY`)');
    expect(md).toContain('- Secret `mastodon/deepl`: key `api-key` (read as `DEEPL_API_KEY`)');
    expect(md).toContain('- `Deployment mastodon/sidekiq-scheduler` renamed to `sidekiq-cron` (`pr/mastodon/Deployment.sidekiq-cron.yaml`): Argo CD deletes the old Deployment and creates the new one');
    expect(md.indexOf('#### 🔑 Secrets')).toBeLessThan(md.indexOf('#### Renamed'));
  });

  test('GIVEN --max-chars WHEN the report is longer THEN it is cut on a line, says so, and keeps the exit code; a bad number exits 2', async () => {
    const config = exampleVariant({}, 'long');
    const dist = path.join(tempDir(), 'dist');
    await run(['synth', '--config', config, '--out', dist]);
    fs.writeFileSync(path.join(config, 'instance.yaml'), replaceOnce(fs.readFileSync(path.join(config, 'instance.yaml'), 'utf8'), 'version: v4.7.2', 'version: v4.7.3'));
    const whole = await run(['diff', '--config', config, '--dist', dist, '--markdown']);
    const cut = await run(['diff', '--config', config, '--dist', dist, '--markdown', '--max-chars', '1000']);
    expect(whole.stdout.length).toBeGreaterThan(1000);
    expect(cut.code).toBe(whole.code);
    expect(cut.stdout.length).toBeLessThanOrEqual(1000);
    expect(whole.stdout.startsWith(cut.stdout.slice(0, cut.stdout.lastIndexOf('\n\n**…')).replace(/\n+$/, ''))).toBe(true);
    expect(cut.stdout).toMatch(/\*\*… [\d,]+ more lines not shown here \(1,000 characters at most\): the whole report is in the job summary of this check/);
    expect((await run(['diff', '--config', config, '--dist', dist, '--markdown', '--max-chars', 'ten'])).code).toBe(2);
  });
});
