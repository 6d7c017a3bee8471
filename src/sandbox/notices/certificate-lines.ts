// Sandbox (Node). How 公文書署名検証 describes a certificate (REFERENCE §4.15, A.26): Publisher / Owner
// are the values of the issuerAltName / subjectAltName directoryName joined by `,` without C;
// PublisherDN / OwnerDN the DN most specific first, `, ` between; SerialNumber the serial's bytes in
// upper-case hex, space-separated; TermValidity the validity in JST, `YYYY/MM/DD hh:mm:ss から …`.
import type { X509Certificate } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
const SAN = '2.5.29.17';
const IAN = '2.5.29.18';
const COUNTRY = '2.5.4.6';
const JST_OFFSET_MS = 9 * 60 * 60 * 1000;

type Node = forge.asn1.Asn1;
const kids = (n: Node | undefined): Node[] => (n && Array.isArray(n.value) ? (n.value as Node[]) : []);

/** The extensions of a certificate as OID → the DER inside extnValue. */
function extensions(cert: X509Certificate): Map<string, string> {
  const out = new Map<string, string>();
  const tbs = kids(asn1.fromDer(cert.raw.toString('binary'), { strict: false } as never))[0];
  const wrapper = kids(tbs).find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 3);
  for (const ext of kids(kids(wrapper)[0])) {
    const parts = kids(ext);
    const id = parts[0] ? asn1.derToOid(parts[0].value as string) : '';
    const value = parts[parts.length - 1]?.value;
    if (typeof value === 'string') out.set(id, value);
  }
  return out;
}

/** The attribute values of the first directoryName in a GeneralNames, C left out, in order. */
function directoryNameValues(generalNamesDer: string): string[] {
  const dirName = kids(asn1.fromDer(generalNamesDer)).find((n) => n.tagClass === asn1.Class.CONTEXT_SPECIFIC && n.type === 4);
  const name = kids(dirName)[0];
  const values: string[] = [];
  for (const rdn of kids(name)) {
    for (const atv of kids(rdn)) {
      const [type, v] = kids(atv);
      if (!type || !v || typeof v.value !== 'string' || asn1.derToOid(type.value as string) === COUNTRY) continue;
      values.push(v.type === asn1.Type.UTF8 ? forge.util.decodeUtf8(v.value) : v.value);
    }
  }
  return values;
}

/** `日本国政府,テスト省,テスト用証明書０１Ａ` from subjectAltName ('owner') or issuerAltName ('publisher'); '' without one. */
export function japaneseName(cert: X509Certificate, which: 'owner' | 'publisher'): string {
  const der = extensions(cert).get(which === 'owner' ? SAN : IAN);
  return der === undefined ? '' : directoryNameValues(der).join(',');
}

/** `CN=testEE 01A, OU=Test, O=Japanese Government, C=JP` from Node's one-attribute-a-line DN. */
export function distinguishedName(dn: string): string {
  return dn.split('\n').filter(Boolean).reverse().join(', ');
}

export function serialBytes(cert: X509Certificate): string {
  const hex = cert.serialNumber.toUpperCase();
  const even = hex.length % 2 === 0 ? hex : `0${hex}`;
  return even.match(/../g)!.join(' ');
}

function jst(date: Date): string {
  const t = new Date(date.getTime() + JST_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())} ${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}`;
}

export function termValidity(cert: X509Certificate): string {
  return `${jst(new Date(cert.validFrom))} から ${jst(new Date(cert.validTo))}`;
}
