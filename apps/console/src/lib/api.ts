/**
 * One problem with a policy document, as the REST API details a `MalformedPolicyDocument`
 * (`Problems`): the validator's words, the JSON path, and the place in the document as sent.
 */
export interface ApiProblem {
  Message: string;
  Path: string;
  Line?: number;
  Column?: number;
}

/** The well-formed entries of a REST error body's `Problems`, if any. */
export function apiProblemsOf(value: unknown): ApiProblem[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const position = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 1);
  const out = value.filter((p): p is ApiProblem => {
    const q = p as ApiProblem | null;
    return typeof q === 'object' && q !== null && typeof q.Message === 'string' && typeof q.Path === 'string' && position(q.Line) && position(q.Column);
  });
  return out.length > 0 ? out : undefined;
}

/** An error the REST API answered: AWS's code, its message, the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly requestId?: string,
    /** Seconds, from `Retry-After` (sign-in throttling). */
    readonly retryAfter?: number,
    /** `MalformedPolicyDocument`: every problem with the document, where the API says. */
    readonly problems?: ApiProblem[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The codes that mean the session is over: sign in again. */
export const SESSION_ENDED = new Set(['InvalidToken', 'ExpiredToken']);

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * The REST API with the signed-in user's bearer token; nothing else. `onSessionEnded` is told
 * when the API says the session is over.
 */
export class Api {
  constructor(
    private readonly token: () => string | undefined,
    private readonly onSessionEnded: (error: ApiError) => void = () => undefined,
    private readonly base = '',
  ) {}

  async request<T>(method: string, path: string, options: { query?: Query; body?: unknown } = {}): Promise<T> {
    const query = Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined && v !== '');
    const url = `${this.base}${path}${query.length ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)])).toString()}` : ''}`;
    const token = this.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers['authorization'] = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) });
    } catch {
      throw new ApiError('NetworkError', 'The server could not be reached. Check your connection and try again.', 0);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (!response.ok) {
      const error = body as { code?: string; message?: string; requestId?: string; Problems?: unknown } | undefined;
      const retry = Number(response.headers.get('retry-after'));
      const failure = new ApiError(
        error?.code ?? (response.status === 429 ? 'Throttling' : 'ServiceFailure'),
        error?.message ?? `The server answered ${response.status}.`,
        response.status,
        error?.requestId ?? response.headers.get('x-amzn-requestid') ?? undefined,
        Number.isFinite(retry) && retry > 0 ? retry : undefined,
        apiProblemsOf(error?.Problems),
      );
      if (SESSION_ENDED.has(failure.code) && token) this.onSessionEnded(failure);
      throw failure;
    }
    return body as T;
  }

  get<T>(path: string, query?: Query) {
    return this.request<T>('GET', path, { query });
  }
  post<T>(path: string, body?: unknown) {
    return this.request<T>('POST', path, { body: body ?? {} });
  }
  put<T>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, { body: body ?? {} });
  }
  patch<T>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, { body: body ?? {} });
  }
  delete<T>(path: string, query?: Query) {
    return this.request<T>('DELETE', path, { query });
  }

  /** Every page of a list (`nextCursor`), `limit` a page. */
  async all<T, K extends string>(path: string, key: K, query: Query = {}, limit = 1000): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.get<Record<K, T[]> & { nextCursor?: string }>(path, { ...query, limit, cursor });
      out.push(...(page[key] ?? []));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }
}

/** A path segment: names and ARNs URL-encoded as one segment. */
export const seg = (value: string) => encodeURIComponent(value);

/**
 * What to tell someone whose sign-in failed: never whether the user exists. A wrong name or
 * password, an unknown user, a user without a password and a locked user read the same unless the
 * API says to wait.
 */
export function signInMessage(error: unknown): string {
  if (!(error instanceof ApiError)) return 'Sign-in failed. Try again.';
  if (error.code === 'SignInFailed') return 'The user name or password is incorrect, or this user may not sign in.';
  if (error.status === 429 || error.code === 'Throttling' || error.code === 'TooManyRequests' || error.code === 'LimitExceeded') {
    const wait = error.retryAfter ? ` Try again in ${error.retryAfter >= 60 ? `${Math.ceil(error.retryAfter / 60)} minutes` : `${error.retryAfter} seconds`}.` : ' Try again later.';
    return `Too many sign-in attempts.${wait}`;
  }
  if (error.code === 'ValidationError') return 'Enter a user name and a password.';
  if (error.code === 'NetworkError' || error.code === 'ServiceUnavailable') return error.message;
  return error.message || 'Sign-in failed. Try again.';
}
