import { observeBusRequests } from '@iam/contracts';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

/**
 * The process's Prometheus metrics: one registry, served at `/metrics` by the gateway and by each
 * service's health port. In the embedded default every app of the process reports into it.
 */
export const metricsRegistry = new Registry();

/** Seconds; from a cached decision (well under a millisecond) to a slow write. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = new Counter({
  name: 'iam_http_requests_total',
  help: 'HTTP requests the gateway answered, by IAM operation (or route kind) and outcome (ok, or the error code)',
  labelNames: ['operation', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const httpRequestDuration = new Histogram({
  name: 'iam_http_request_duration_seconds',
  help: 'Time from request to response at the gateway, by IAM operation',
  labelNames: ['operation'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const busClientDuration = new Histogram({
  name: 'iam_bus_client_request_duration_seconds',
  help: 'Bus requests as their sender saw them, by pattern and outcome (ok, an error code, timeout, no_responders, bus_failure)',
  labelNames: ['pattern', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const busHandlerDuration = new Histogram({
  name: 'iam_bus_handler_duration_seconds',
  help: 'Bus requests a service handled, by service, pattern and outcome (ok, or the error code)',
  labelNames: ['service', 'pattern', 'outcome'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const authorizationDecisions = new Counter({
  name: 'iam_authorization_decisions_total',
  help: 'Authorization decisions the gateway received for callers other than root, by result (allowed, explicitDeny, implicitDeny, error: a failed decision, denied)',
  labelNames: ['result'] as const,
  registers: [metricsRegistry],
});

export const signInLocks = new Counter({
  name: 'iam_sign_in_locks_total',
  help: 'Sign-in lockouts begun after repeated wrong passwords, by scope: user (the user from every source) or source (the user from one source)',
  labelNames: ['scope'] as const,
  registers: [metricsRegistry],
});

export const cacheLookups = new Counter({
  name: 'iam_cache_lookups_total',
  help: 'Lookups in a cache of this process, by cache and result (hit, miss); the hit rate is hit / (hit + miss)',
  labelNames: ['cache', 'result'] as const,
  registers: [metricsRegistry],
});

/** The caches the gauge below reads, by name. */
const caches = new Map<string, { readonly size: number }>();

export const cacheEntries = new Gauge({
  name: 'iam_cache_entries',
  help: 'Entries a cache of this process holds',
  labelNames: ['cache'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [cache, holder] of caches) this.set({ cache }, holder.size);
  },
});

/** Reports `holder`'s size as the cache `name`'s in {@link cacheEntries}. */
export function trackCache(name: string, holder: { readonly size: number }): void {
  caches.set(name, holder);
}

/** The pools the gauge below reads, by service. */
const pools = new Map<string, DataSource>();

interface PgPoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/** The `pg` pool under a TypeORM data source, when it has one. */
function poolOf(dataSource: DataSource): PgPoolCounts | undefined {
  const pool = (dataSource.driver as unknown as { master?: Partial<PgPoolCounts> }).master;
  return pool && typeof pool.totalCount === 'number' ? (pool as PgPoolCounts) : undefined;
}

export const databasePool = new Gauge({
  name: 'iam_db_pool_connections',
  help: "A service's PostgreSQL connections by state: in_use, idle, and waiting (callers waiting for a connection)",
  labelNames: ['service', 'state'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [service, dataSource] of pools) {
      const pool = dataSource.isInitialized ? poolOf(dataSource) : undefined;
      if (!pool) continue;
      this.set({ service, state: 'in_use' }, pool.totalCount - pool.idleCount);
      this.set({ service, state: 'idle' }, pool.idleCount);
      this.set({ service, state: 'waiting' }, pool.waitingCount);
    }
  },
});

/** Reports `dataSource`'s pool as `service`'s in {@link databasePool}. */
export function trackDatabasePool(service: string, dataSource: DataSource): void {
  pools.set(service, dataSource);
}

let processMetrics = false;

/**
 * Starts the process metrics (CPU, memory, event loop lag, ...) and the bus client's latency
 * histogram; idempotent.
 */
export function enableMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'iam_process_' });
  observeBusRequests((pattern, seconds, outcome) => busClientDuration.observe({ pattern, outcome }, seconds));
}

/** The registry's text exposition and its content type. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  return { contentType: metricsRegistry.contentType, body: await metricsRegistry.metrics() };
}
