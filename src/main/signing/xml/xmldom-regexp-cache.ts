// Main process and sandbox (Node). @xmldom/xmldom 0.9.12 (the latest) builds the same RegExp anew
// for every end tag it reads (lib/sax.js calls grammar.reg('^', QName_group, S_OPT, '$') each time,
// joining the sources of large Unicode classes): a third of the time of checking a batch of a
// thousand applications went there. The parser looks the function up on the grammar module at each
// call, so wrapping it once with a cache keyed by its arguments (the same few module-level values
// every time) removes the cost without changing what is parsed. The regexps carry only the `u` flag,
// so a shared one holds no state between uses (no `g`/`y`, no lastIndex).
import grammar from '@xmldom/xmldom/lib/grammar.js';

type Reg = (...parts: Array<RegExp | string>) => RegExp;
interface Grammar {
  reg: Reg & { todokeCached?: true };
}

const g = grammar as unknown as Grammar;

/** A trie over the arguments themselves (strings by value, RegExps by identity): no key to build. */
interface Trie {
  next: Map<RegExp | string, Trie>;
  re?: RegExp;
}

if (typeof g.reg === 'function' && !g.reg.todokeCached) {
  const original = g.reg;
  const root: Trie = { next: new Map() };
  const cached: Reg & { todokeCached?: true } = function (this: unknown, ...parts) {
    let node = root;
    for (const part of parts) {
      let child = node.next.get(part);
      if (!child) {
        child = { next: new Map() };
        node.next.set(part, child);
      }
      node = child;
    }
    if (node.re) return node.re;
    const re = original.apply(this, parts);
    if (!re.global && !re.sticky) node.re = re;
    return re;
  };
  cached.todokeCached = true;
  g.reg = cached;
}

export const xmldomRegexpCacheInstalled = (): boolean => g.reg.todokeCached === true;
