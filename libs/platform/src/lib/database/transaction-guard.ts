import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';

interface OpenTransaction {
  /** Still open: the unit of work has not finished. */
  open: boolean;
  /** The transaction's own connection was taken (the first one the unit asks for). */
  connected: boolean;
}

const transactions = new AsyncLocalStorage<OpenTransaction>();

/** Raised when work done for an open transaction asks for another database connection. */
export class QueryOutsideTransactionError extends Error {
  readonly code = 'QueryOutsideTransaction';

  constructor() {
    super(
      'A database query was sent on another connection while a transaction of the same unit of work is open ' +
        '(a query outside the transaction, or a bus request whose handler queries). The embedded database runs one ' +
        'transaction at a time, so the query would wait for the transaction that waits for it: use the transaction\'s ' +
        'EntityManager, and make no bus call inside a transaction.',
    );
    this.name = 'QueryOutsideTransactionError';
  }
}

/**
 * Makes a deadlock of the embedded database (one session, one transaction at a time) an immediate
 * error instead of a hang: while `dataSource.transaction(...)` runs, any other connection asked for
 * in the same asynchronous context (a repository or `dataSource.query` outside the transaction's
 * manager, a nested `dataSource.transaction`, or a handler reached through the in-process bus,
 * whatever its service) throws `QueryOutsideTransactionError`. The context is the unit's own:
 * work started elsewhere, or after the transaction ended, is not affected.
 *
 * On a real PostgreSQL such a query would not hang, but it would not see the transaction's writes
 * and could wait on its row locks: the rule is the same in every mode.
 */
export function guardTransactions(dataSource: DataSource): DataSource {
  const manager = dataSource.manager;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  manager.transaction = (async (...args: unknown[]) => {
    if (transactions.getStore()?.open) throw new QueryOutsideTransactionError();
    const unit: OpenTransaction = { open: true, connected: false };
    try {
      return await transactions.run(unit, () => transaction(...args));
    } finally {
      unit.open = false;
    }
  }) as typeof manager.transaction;

  const createQueryRunner = dataSource.createQueryRunner.bind(dataSource);
  dataSource.createQueryRunner = (...args: Parameters<DataSource['createQueryRunner']>) => {
    const unit = transactions.getStore();
    if (unit?.open) {
      if (unit.connected) throw new QueryOutsideTransactionError();
      unit.connected = true;
    }
    return createQueryRunner(...args);
  };
  return dataSource;
}
