import { ObjectCheck, ObjectProblem, formatObjectProblem, KubeObject, RenderedObject } from '../../lib/validate/object-problem';
import { objects, renderExample } from '../helpers';

/** The rendered example as objects (GIVEN output that passes every check); a fresh copy each call. */
export function exampleObjects(): RenderedObject[] {
  return [...objects(renderExample())].map(([file, object]) => ({ file, object }));
}

/** The example with one object changed in place by `edit` (GIVEN a deliberately broken object). */
export function withEdit(file: string, edit: (o: any) => void): RenderedObject[] {
  const all = exampleObjects();
  const target = all.find((o) => o.file === file);
  if (!target) throw new Error(`${file} is not rendered`);
  edit(target.object);
  return all;
}

/** The example plus one more object at `file`. */
export function withObject(file: string, object: Record<string, unknown>): RenderedObject[] {
  return [...exampleObjects(), { file, object: object as unknown as KubeObject }];
}

/** What a check reports, one formatted line per finding. */
export function report(check: ObjectCheck, objects: readonly RenderedObject[]): string[] {
  return check(objects).map((f: ObjectProblem) => formatObjectProblem(f));
}

export const WEB = 'example/mastodon/Deployment.web.yaml';
export const META = { namespace: 'mastodon' };
