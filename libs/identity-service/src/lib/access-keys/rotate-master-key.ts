import { dataSourceOptions, DatabaseAccess, guardTransactions, migrate } from '@iam/platform';
import { DataSource } from 'typeorm';
import { identityMigrations } from '../migrations';
import { IDENTITY_SCHEMA, identityEntities } from '../persistence';
import { AccessKeysStore } from './access-keys.store';
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
  const keys = new AccessKeysStore(dataSource);
  try {
    await migrate(dataSource, IDENTITY_SCHEMA);
    let reencrypted = 0;
    if (fromKeyId !== toKeyId) {
      for (;;) {
        const done = await dataSource.transaction(async (manager) => {
          const rows = await keys.sealedUnder(manager, fromKeyId, batchSize);
          for (const row of rows) {
            const secret = cipher.open({ keyId: fromKeyId, sealed: row.secretSealed }, row.accessKeyId);
            await keys.reseal(manager, row.accessKeyId, cipher.seal(secret, row.accessKeyId));
          }
          return rows.length;
        });
        reencrypted += done;
        if (done < batchSize) break;
      }
    }
    const left = await keys.secretsByMasterKey(toKeyId);
    return { fromKeyId, toKeyId, reencrypted, unreadable: Object.fromEntries(left.map((row) => [row.masterKeyId, row.secrets])) };
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
