/**
 * A URL with its password replaced by `***`, to name in a message or a log line; a value
 * that is not a URL is returned as it is. The one implementation: the apps' start-up
 * messages use it, and so does `tools/start-services.mjs` (which loads this file as it is).
 * It imports nothing, so a plain Node script can load it.
 */
export function urlWithoutPassword(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return value;
  }
}
