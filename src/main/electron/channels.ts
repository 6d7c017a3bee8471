// Main process, Electron-free. The IPC channels the Electron binding registers, computed from the
// contract alone so test/unit/contract.test.ts can compare them with the other hosts.
import { channelFor, operationNames } from '../../shared/contract.js';
import type { OperationName } from '../../shared/contract.js';

export interface IpcBinding {
  channel: string;
  operation: OperationName;
}

export function ipcBindings(): IpcBinding[] {
  return operationNames.map((operation) => ({ channel: channelFor(operation), operation }));
}
