import { IamError } from '@iam/contracts';
import { GatewayErrors } from '../../http/gateway-errors';

/** Reads every page of an AWS-paginated list, 1000 items at a time, and concatenates them. */
export async function allPages<T>(
  read: (page: { Marker?: string; MaxItems: number }) => Promise<{ IsTruncated: boolean; Marker?: string } & T>,
  items: (page: T) => readonly unknown[],
): Promise<unknown[]> {
  const all: unknown[] = [];
  let marker: string | undefined;
  for (;;) {
    const page = await read({ ...(marker !== undefined ? { Marker: marker } : {}), MaxItems: 1000 });
    all.push(...items(page));
    if (!page.IsTruncated || page.Marker === undefined) return all;
    marker = page.Marker;
  }
}

/**
 * Runs the parts of an aggregated view in parallel and answers all of them, or fails as a
 * whole: a part that fails makes the view `ServiceUnavailable` (503) naming the part, never a
 * partial view. `NoSuchEntity` of the `primary` part (the entity itself) passes through as is.
 */
export async function allParts<P extends Record<string, Promise<unknown>>>(
  view: string,
  parts: P,
  primary?: keyof P,
): Promise<{ [K in keyof P]: Awaited<P[K]> }> {
  const names = Object.keys(parts) as (keyof P)[];
  const settled = await Promise.allSettled(names.map((name) => parts[name]));
  if (primary !== undefined) {
    const first = settled[names.indexOf(primary)];
    if (first.status === 'rejected' && first.reason instanceof IamError && first.reason.code === 'NoSuchEntity') throw first.reason;
  }
  const failed = settled.findIndex((result) => result.status === 'rejected');
  if (failed >= 0) {
    const reason = (settled[failed] as PromiseRejectedResult).reason;
    const why = reason instanceof IamError ? `${reason.code}: ${reason.message}` : 'an internal error';
    throw GatewayErrors.viewPartFailed(view, String(names[failed]), why);
  }
  return Object.fromEntries(names.map((name, i) => [name, (settled[i] as PromiseFulfilledResult<unknown>).value])) as {
    [K in keyof P]: Awaited<P[K]>;
  };
}

/** Maps `items` with at most `limit` calls of `fn` in flight, keeping the order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs `fn`; any failure becomes `ServiceUnavailable` naming the view (never a partial reply). */
export async function wholeOrUnavailable<R>(view: string, fn: () => Promise<R>): Promise<R> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof IamError && (error.code === 'ServiceUnavailable' || error.code === 'AccessDenied')) throw error;
    const why = error instanceof IamError ? `${error.code}: ${error.message}` : 'an internal error';
    throw GatewayErrors.viewFailed(view, why);
  }
}
