import { officialSigner } from '@iam/testing';


export interface TestCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The headers of a request signed by the official signer (service `iam`). */
export async function signedHeaders(
  url: string,
  credentials: TestCredentials,
  request: { method: string; body?: string; headers?: Record<string, string> },
  signingDate?: Date,
): Promise<Record<string, string>> {
  const target = new URL(url);
  const signer = officialSigner(credentials);
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers: { host: target.host, ...(request.headers ?? {}) },
      ...(request.body !== undefined ? { body: request.body } : {}),
    },
    signingDate ? { signingDate } : {},
  );
  const headers = { ...(signed.headers as Record<string, string>) };
  delete headers['host'];
  return headers;
}
