// The internal grammar module of @xmldom/xmldom, which ships no declarations for it (see
// xmldom-regexp-cache.ts for why Todoke touches it).
declare module '@xmldom/xmldom/lib/grammar.js' {
  const grammar: Record<string, unknown>;
  export default grammar;
}
