/**
 * What the signed-in caller may do, asked of the gateway in batches (`POST /v1/me/permissions`,
 * at most 100 checks a request): every button of a page asks for its action and resource, the
 * asks of one render are gathered into as few requests as possible, and each answer is kept
 * until `clear()` (a change of page, or of who is signed in).
 *
 * The console only reflects the answer: a button shown as allowed may still be refused, and the
 * API refuses whatever is not allowed.
 */
export interface Check {
  action: string;
  resource: string;
  /**
   * Condition keys the call itself would give (`iam:PolicyARN` for attaching or detaching that
   * policy), sent as string context entries, so a decision that depends on them is final.
   */
  context?: Readonly<Record<string, string>>;
}

/** A check as `POST /v1/me/permissions` takes it. */
export function checkRequest(check: Check): { Action: string; Resource: string; ContextEntries?: Array<{ ContextKeyName: string; ContextKeyValues: string[]; ContextKeyType: 'string' }> } {
  const entries = Object.entries(check.context ?? {});
  return {
    Action: check.action,
    Resource: check.resource,
    ...(entries.length > 0 ? { ContextEntries: entries.map(([key, value]) => ({ ContextKeyName: key, ContextKeyValues: [value], ContextKeyType: 'string' as const })) } : {}),
  };
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface CheckResult {
  Action: string;
  Resource: string;
  Decision: Decision;
  MissingContextKeys: string[];
}

/**
 * How the console shows an action: `allowed`; `denied`; `unknown` while asking, or when the
 * decision depends on what only the request itself gives and the check did not (request tags,
 * `iam:PolicyARN` for a button that does not name its policy yet), so the API decides when it is
 * tried.
 */
export type Permission = 'allowed' | 'denied' | 'unknown';

export const MAX_CHECKS_PER_REQUEST = 100;

export function checkKey(check: Check): string {
  const context = Object.entries(check.context ?? {})
    .map(([key, value]) => `${key.toLowerCase()}=${value}`)
    .sort();
  return `${check.action.toLowerCase()} ${check.resource}${context.length > 0 ? ` ${JSON.stringify(context)}` : ''}`;
}

export function permissionOf(result: Pick<CheckResult, 'Decision' | 'MissingContextKeys'> | undefined): Permission {
  if (!result) return 'unknown';
  if (result.Decision === 'allowed') return 'allowed';
  if (result.Decision === 'implicitDeny' && result.MissingContextKeys.length > 0) return 'unknown';
  return 'denied';
}

/** Splits `items` into chunks of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class PermissionBatcher {
  private readonly known = new Map<string, Permission>();
  private readonly pending = new Map<string, Check>();
  private readonly inFlight = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private scheduled = false;
  private generation = 0;

  constructor(
    /** Asks the API; resolves with one result per check, in order. */
    private readonly ask: (checks: Check[]) => Promise<CheckResult[]>,
    /** When to send what was gathered (a macrotask by default, so one render's asks go together). */
    private readonly schedule: (run: () => void) => void = (run) => setTimeout(run, 0),
    /** Told when a request failed (the checks stay unknown: the API decides). */
    private readonly failed: (error: unknown) => void = () => undefined,
  ) {}

  /** The permission now (`unknown` until answered); asks for it if nobody has. */
  get(check: Check): Permission {
    const key = checkKey(check);
    const known = this.known.get(key);
    if (known !== undefined) return known;
    if (!this.inFlight.has(key) && !this.pending.has(key)) {
      this.pending.set(key, check);
      if (!this.scheduled) {
        this.scheduled = true;
        this.schedule(() => void this.flush());
      }
    }
    return 'unknown';
  }

  /** Called whenever an answer arrives; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets every answer (permissions may have changed); answers on their way are dropped. */
  clear(): void {
    this.generation++;
    this.known.clear();
    this.inFlight.clear();
    this.notify();
  }

  /** Sends what was gathered, at most `MAX_CHECKS_PER_REQUEST` a request, all in parallel. */
  async flush(): Promise<void> {
    this.scheduled = false;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    if (batch.length === 0) return;
    const generation = this.generation;
    for (const [key] of batch) this.inFlight.add(key);
    await Promise.all(
      chunks(batch, MAX_CHECKS_PER_REQUEST).map(async (chunk) => {
        try {
          const results = await this.ask(chunk.map(([, check]) => check));
          if (generation !== this.generation) return;
          chunk.forEach(([key], n) => {
            this.inFlight.delete(key);
            this.known.set(key, permissionOf(results[n]));
          });
        } catch (error) {
          if (generation !== this.generation) return;
          for (const [key] of chunk) {
            this.inFlight.delete(key);
            this.known.set(key, 'unknown');
          }
          this.failed(error);
        }
        this.notify();
      }),
    );
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

/** How a button that needs all of `checks` shows, given their permissions (same order). */
export interface ButtonState {
  /** Disabled: some check is denied. */
  disabled: boolean;
  /** `data-permission`: `denied`, `allowed` when every check is, else `unknown` (asking, or left to the API). */
  permission: Permission;
  /** Why it is disabled, for the title and screen readers. */
  reason?: string;
}

export function buttonState(checks: readonly Check[], permissions: readonly Permission[]): ButtonState {
  const deniedAt = permissions.findIndex((p) => p === 'denied');
  if (deniedAt >= 0) return { disabled: true, permission: 'denied', reason: `Not allowed: you may not ${checks[deniedAt].action}` };
  return { disabled: false, permission: permissions.length === checks.length && permissions.every((p) => p === 'allowed') ? 'allowed' : 'unknown' };
}
