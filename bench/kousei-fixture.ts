// Benchmarks (Node). The kousei.xml the signing benchmark signs: the recorded 一括申請 package's
// kousei.xml, unsigned, with a second 申請書 and enough 添付書類 entries to weigh 20 KB — the
// size of a real multi-attachment application.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordedDir } from '../test/support/paths.js';

export interface KouseiFixture {
  kousei: Buffer;
  files: Map<string, Buffer>;
}

const TARGET_BYTES = 20 * 1024;

export function kouseiFixture(): KouseiFixture {
  const dir = join(recordedDir, 'apply', 'request-filedata-1', '900A010200001000(1)');
  const form = readFileSync(join(dir, '900A01020000100001_01.xml'));
  let xml = readFileSync(join(dir, 'kousei.xml'), 'utf8').replace(/<署名情報>[\s\S]*<\/署名情報>/, '');
  const formBlock = /<申請書属性情報>[\s\S]*?<\/申請書属性情報>/.exec(xml)?.[0];
  const attachmentBlock = /<添付書類属性情報>[\s\S]*?<\/添付書類属性情報>/.exec(xml)?.[0];
  if (!formBlock || !attachmentBlock) throw new Error('recorded kousei.xml changed shape');
  xml = xml.replace(formBlock, `${formBlock}\n${formBlock.replace('900A01020000100001_01.xml', '900A01020000100001_02.xml')}`);
  let padding = '';
  let i = 2;
  while (Buffer.byteLength(xml) + Buffer.byteLength(padding) < TARGET_BYTES) {
    padding += `\n${attachmentBlock.replace('tenpu.txt', `tenpu${i}.txt`).replace('テスト添付書類１', `テスト添付書類${i++}`)}`;
  }
  xml = xml.replace(attachmentBlock, attachmentBlock + padding);
  return {
    kousei: Buffer.from(xml),
    files: new Map([
      ['900A01020000100001_01.xml', form],
      ['900A01020000100001_02.xml', form],
    ]),
  };
}
