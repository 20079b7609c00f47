import { dataSourceOptions, DatabaseAccess, guardTransactions, migrate } from '@iam/platform';
import { DataSource } from 'typeorm';
import { identityMigrations } from '../migrations';
import { IDENTITY_SCHEMA, identityEntities } from '../persistence';
import { AesGcmSecretCipher, masterKeyFromBase64, masterKeyId } from './secret-cipher';

export interface RotateMasterKeyInput {
  databaseUrl: string;
  /** For the embedded database: a new connection's stream (see `DatabaseAccess`). */
  databaseStream?: DatabaseAccess['stream'];
  /** The new key (`IAM_MASTER_KEY`), base64. */
  currentKey: string;
  /** The key being retired (`IAM_MASTER_KEY_PREVIOUS`), base64. */
  previousKey: string;
  /** Secrets re-encrypted per transaction. */
  batchSize?: number;
}

export interface RotateMasterKeyResult {
  fromKeyId: string;
  toKeyId: string;
  reencrypted: number;
  /** Secrets still under neither key, by key id (should be empty). */
  unreadable: Record<string, number>;
}

/**
 * Re-encrypts every access key secret sealed under the previous master key
 * with the current one, in short transactions of `batchSize` rows (row locks,
 * no bus calls), so it can run while identity serves requests. Running it
 * again is harmless: secrets already under the current key are left alone.
 */
export async function rotateMasterKey(input: RotateMasterKeyInput): Promise<RotateMasterKeyResult> {
  const current = masterKeyFromBase64(input.currentKey, 'IAM_MASTER_KEY');
  const previous = masterKeyFromBase64(input.previousKey, 'IAM_MASTER_KEY_PREVIOUS');
  const cipher = new AesGcmSecretCipher(current, previous);
  const toKeyId = masterKeyId(current);
  const fromKeyId = masterKeyId(previous);
  const batchSize = input.batchSize ?? 100;

  const dataSource = guardTransactions(
    await new DataSource(
      dataSourceOptions({
        url: input.databaseUrl,
        stream: input.databaseStream,
        schema: IDENTITY_SCHEMA,
        entities: identityEntities,
        migrations: identityMigrations,
        poolSize: 2,
      }),
    ).initialize(),
  );
  try {
    await migrate(dataSource, IDENTITY_SCHEMA);
    let reencrypted = 0;
    if (fromKeyId !== toKeyId) {
      for (;;) {
        const done = await dataSource.transaction(async (manager) => {
          const rows: Array<{ access_key_id: string; secret_sealed: Buffer }> = await manager.query(
            `SELECT access_key_id, secret_sealed FROM identity.access_keys
             WHERE master_key_id = $1 ORDER BY access_key_id LIMIT $2 FOR UPDATE`,
            [fromKeyId, batchSize],
          );
          for (const row of rows) {
            const secret = cipher.open({ keyId: fromKeyId, sealed: row.secret_sealed }, row.access_key_id);
            const sealed = cipher.seal(secret, row.access_key_id);
            await manager.query('UPDATE identity.access_keys SET secret_sealed = $2, master_key_id = $3 WHERE access_key_id = $1', [
              row.access_key_id,
              sealed.sealed,
              sealed.keyId,
            ]);
          }
          return rows.length;
        });
        reencrypted += done;
        if (done < batchSize) break;
      }
    }
    const left: Array<{ master_key_id: string; secrets: number }> = await dataSource.query(
      'SELECT master_key_id, count(*)::int AS secrets FROM identity.access_keys WHERE master_key_id <> $1 GROUP BY master_key_id',
      [toKeyId],
    );
    return { fromKeyId, toKeyId, reencrypted, unreadable: Object.fromEntries(left.map((row) => [row.master_key_id, row.secrets])) };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * What a `rotate-master-key` command prints: the summary line, and the problem line when secrets
 * under neither key remain (the command then exits 1). `where` ends the summary (where the new key is).
 */
export function rotationReport(command: string, result: RotateMasterKeyResult, where = ''): { summary: string; problem?: string } {
  const summary = `${command}: re-encrypted ${result.reencrypted} access key secret(s) from master key ${result.fromKeyId} to ${result.toKeyId}${where}.`;
  const unreadable = Object.entries(result.unreadable);
  if (unreadable.length === 0) return { summary };
  const detail = unreadable.map(([id, count]) => `${count} under ${id}`).join(', ');
  return { summary, problem: `${command}: secrets under neither key remain (${detail}).` };
}
