// Test support (Node). Application data as a filer keeps it, built from the recorded samples.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { egovDir } from './paths.js';

const samples = join(egovDir, 'samples');

/** Two application folders: unsigned kousei.xml, 申請書 and (in the first) an attachment. */
export function makeBatchFolders(parent: string): string[] {
  const a = join(parent, '900A010200001000(1)');
  mkdirSync(a, { recursive: true });
  copyFileSync(join(samples, 'apply_900A010200001000_base_kousei.xml'), join(a, 'kousei.xml'));
  copyFileSync(join(samples, '900A01020000100001_01.xml'), join(a, '900A01020000100001_01.xml'));
  copyFileSync(join(samples, 'tenpu.txt'), join(a, 'tenpu.txt'));
  const b = join(parent, '900A010002008000(1)');
  mkdirSync(b, { recursive: true });
  copyFileSync(join(samples, '900A010002008000_base_kousei.xml'), join(b, 'kousei.xml'));
  copyFileSync(join(samples, '900A01000200800001_01.xml'), join(b, '900A01000200800001_01.xml'));
  return [a, b];
}
