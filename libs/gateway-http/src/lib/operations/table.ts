import type { AnyOperation } from './operation';

/** The operations the gateway serves, by name and by Query API action. */
export class OperationTable {
  private readonly byName = new Map<string, AnyOperation>();

  constructor(readonly operations: readonly AnyOperation[]) {
    for (const operation of operations) {
      if (this.byName.has(operation.name)) throw new Error(`The operation ${operation.name} is defined twice.`);
      this.byName.set(operation.name, operation);
    }
  }

  get(name: string): AnyOperation | undefined {
    return this.byName.get(name);
  }

  /** The operation serving a Query API action, if any. */
  queryAction(action: string): AnyOperation | undefined {
    const operation = this.byName.get(action);
    return operation?.query ? operation : undefined;
  }
}

export const OPERATION_TABLE = Symbol('OPERATION_TABLE');
