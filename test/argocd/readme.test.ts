import * as fs from 'node:fs';
import * as path from 'node:path';
import { RETRY_BACKOFF, RETRY_LIMIT } from '../../lib/constructs/argocd/argo-application';
import { HEALTH_CHECKS_PATCH_FILE } from '../../lib/catalog/argocd-health-checks';
import { PRE_DEPLOY_JOB, POST_DEPLOY_JOB } from '../../lib/constructs/mastodon/migrations';
import { REPO } from '../helpers';

/** The README states what is rendered; these are the statements a reader acts on. */
describe('README.md agrees with the rendered Argo CD objects', () => {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const words = (duration: string) => duration.replace(/^(\d+)s$/, '$1 s').replace(/^(\d+)m$/, '$1 min');

  test('THEN the retry policy it quotes is the rendered one', () => {
    expect(RETRY_BACKOFF.factor).toBe(2); // "doubling"
    expect(readme).toContain(`**${RETRY_LIMIT} retries, backing off from ${words(RETRY_BACKOFF.duration)} (doubling) to ${words(RETRY_BACKOFF.maxDuration)}**`);
    expect(readme).not.toMatch(/retries \(5, backing off from 5 s to 3 min\)/);
  });

  test('THEN its bootstrap applies the rendered health patch, platform project and root', () => {
    expect(readme).toContain(`--patch-file dist/<instance>/${HEALTH_CHECKS_PATCH_FILE}`);
    expect(readme).toContain('-f dist/<instance>/argocd/AppProject.<instance>-platform.yaml');
    expect(readme).toContain('-f dist/<instance>/bootstrap/Application.<instance>-root.yaml');
  });

  test('THEN it names the rendered hooks and the non-deprecated cert-manager Gateway key', () => {
    for (const job of [PRE_DEPLOY_JOB, POST_DEPLOY_JOB]) expect(readme).toContain(`| \`${job}\` |`);
    expect(readme).toContain('`config.gatewayAPI.enabled: true`');
    expect(readme).not.toContain('`config.enableGatewayAPI');
  });
});
