// Renderer. Turning a chosen File into what `certificate.describe` takes.
import { MAX_CERTIFICATE_FILE_BYTES } from '../shared/contract.js';

export const MAX_CERTIFICATE_FILE_MB = MAX_CERTIFICATE_FILE_BYTES / (1024 * 1024);

/** The `accept` list of the file chooser; the core decides by content, this only narrows the dialog. */
export const CERTIFICATE_FILE_ACCEPT = '.p12,.pfx,.pem,.cer,.crt,.der';

const PKCS12_NAME = /\.(p12|pfx)$/i;

export function isPkcs12FileName(name: string): boolean {
  return PKCS12_NAME.test(name);
}

export interface ChosenFile {
  name: string;
  dataBase64: string;
}

export type FileProblem = 'tooLarge' | 'empty' | 'unreadable';

export async function readChosenFile(file: File): Promise<ChosenFile | FileProblem> {
  if (file.size > MAX_CERTIFICATE_FILE_BYTES) return 'tooLarge';
  if (file.size === 0) return 'empty';
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await file.arrayBuffer());
  } catch {
    return 'unreadable';
  }
  return { name: file.name, dataBase64: toBase64(bytes) };
}

/** btoa over chunks: one String.fromCharCode call per 32 KiB keeps the argument list bounded. */
export function toBase64(bytes: Uint8Array): string {
  const chunks: string[] = [];
  for (let i = 0; i < bytes.length; i += 0x8000) {
    chunks.push(String.fromCharCode(...bytes.subarray(i, i + 0x8000)));
  }
  return btoa(chunks.join(''));
}
