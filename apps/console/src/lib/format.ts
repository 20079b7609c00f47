/** `2026-12-06 21:59 UTC`, or `—` when there is nothing. */
export function formatDate(value: string | undefined | null): string {
  if (!value) return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `today`, `1 day ago`, `12 days ago`. */
export function age(value: string | undefined | null, now: Date = new Date()): string {
  if (!value) return '—';
  const days = Math.floor((now.getTime() - new Date(value).getTime()) / 86_400_000);
  if (Number.isNaN(days)) return '—';
  if (days <= 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** Users filtered as the list's search box asks: by name (any part, any case) and path prefix. */
export function filterUsers<T extends { UserName: string; Path: string }>(users: readonly T[], name: string, pathPrefix: string): T[] {
  const n = name.trim().toLowerCase();
  const p = pathPrefix.trim();
  return users.filter((u) => (n === '' || u.UserName.toLowerCase().includes(n)) && (p === '' || u.Path.startsWith(p)));
}

/** One page of `items` (1-based), and how many pages there are. */
export function pageOf<T>(items: readonly T[], page: number, size: number): { items: T[]; pages: number; page: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, page), pages);
  return { items: items.slice((current - 1) * size, current * size), pages, page: current };
}
