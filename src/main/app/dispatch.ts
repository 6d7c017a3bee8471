// Main process (core). The single door of the core for every host: an operation name and
// untrusted arguments in, a result envelope out. It never throws: unknown operations, arguments
// that do not fit the contract and failures of the use case all come back as typed errors.
import { isOperationName, operations } from '../../shared/contract.js';
import type { Envelope, OperationArgs, OperationName, OperationResult } from '../../shared/contract.js';
import { isTodokeError, toErrorPayload } from '../../shared/errors.js';
import { SchemaViolation } from '../../shared/schema.js';
import { invalidArgument, unknownOperation } from './errors.js';

export type Handlers = { readonly [N in OperationName]: (args: OperationArgs<N>) => Promise<OperationResult<N>> };

export type Dispatch = (name: unknown, rawArgs: unknown) => Promise<Envelope<unknown>>;

/** `onUnexpected` hears about failures that are bugs (not TodokeErrors); it never sees arguments. */
export function createDispatcher(handlers: Handlers, onUnexpected: (operation: string, error: unknown) => void): Dispatch {
  return async (name, rawArgs) => {
    if (!isOperationName(name)) return { ok: false, error: unknownOperation(name).toPayload() };
    let args: unknown;
    try {
      args = operations[name].args.check(rawArgs, 'args');
    } catch (e) {
      if (e instanceof SchemaViolation) return { ok: false, error: invalidArgument(name, e.issue).toPayload() };
      onUnexpected(name, e);
      return { ok: false, error: toErrorPayload(e) };
    }
    try {
      const handler = handlers[name] as (a: unknown) => Promise<unknown>;
      return { ok: true, value: await handler(args) };
    } catch (e) {
      if (!isTodokeError(e)) onUnexpected(name, e);
      return { ok: false, error: toErrorPayload(e) };
    }
  };
}
