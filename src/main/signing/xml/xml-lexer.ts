// Main process. Where things are in the text of an XML document, for the two jobs a DOM cannot do:
// spotting a DOCTYPE before any parser sees it, and splicing a 署名情報 into kousei.xml without
// re-serialising (and so changing) any other byte. Positions are string indexes into the text as
// given (before line-end normalisation). splitTopLevel() assumes a document the parser has already
// accepted; its callers cross-check what it finds against the DOM.

export interface ElementSpan {
  name: string;
  /** index of the '<' of the start tag */
  start: number;
  /** index just after the '>' of the end tag (or of the empty-element tag) */
  end: number;
  /** index just after the '>' of the start tag */
  contentStart: number;
}

export class LexError extends Error {
  constructor(message: string, readonly position: number) {
    super(`${message} at ${position}`);
    this.name = 'LexError';
  }
}

const WS = new Set([' ', '\t', '\r', '\n']);

function skipTo(text: string, from: number, terminator: string): number {
  const at = text.indexOf(terminator, from);
  if (at < 0) throw new LexError(`unterminated construct, expected "${terminator}"`, from);
  return at + terminator.length;
}

/** True when the prolog (everything before the root element) holds a document type declaration. */
export function prologHasDoctype(text: string): boolean {
  let i = 0;
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (i >= text.length) return false;
    if (text.startsWith('<?', i)) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) return false;
      i = end + 2;
    } else if (text.startsWith('<!--', i)) {
      const end = text.indexOf('-->', i + 4);
      if (end < 0) return false;
      i = end + 3;
    } else {
      return text.startsWith('<!DOCTYPE', i) || text.startsWith('<!ENTITY', i);
    }
  }
}

interface StartTag {
  name: string;
  end: number;
  selfClosing: boolean;
}

function readStartTag(text: string, lt: number): StartTag {
  let i = lt + 1;
  while (i < text.length && !WS.has(text[i]!) && text[i] !== '/' && text[i] !== '>') i++;
  const name = text.slice(lt + 1, i);
  if (!name) throw new LexError('element without a name', lt);
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    const c = text[i];
    if (c === undefined) throw new LexError('unterminated start tag', lt);
    if (c === '>') return { name, end: i + 1, selfClosing: false };
    if (c === '/') {
      if (text[i + 1] !== '>') throw new LexError('stray "/" in start tag', i);
      return { name, end: i + 2, selfClosing: true };
    }
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new LexError('attribute without a value', i);
    i = eq + 1;
    while (i < text.length && WS.has(text[i]!)) i++;
    const quote = text[i];
    if (quote !== '"' && quote !== "'") throw new LexError('unquoted attribute value', i);
    i = skipTo(text, i + 1, quote);
  }
}

/** The root element and its child elements, each with its exact text span. */
export function splitTopLevel(text: string): { root: ElementSpan; children: ElementSpan[] } {
  let i = 0;
  // Prolog: declaration, processing instructions, comments, whitespace.
  for (;;) {
    while (i < text.length && WS.has(text[i]!)) i++;
    if (text.startsWith('<?', i)) i = skipTo(text, i + 2, '?>');
    else if (text.startsWith('<!--', i)) i = skipTo(text, i + 4, '-->');
    else if (text[i] === '<' && text[i + 1] !== '!' && text[i + 1] !== '/') break;
    else throw new LexError('no root element', i);
  }
  const rootTag = readStartTag(text, i);
  const root: ElementSpan = { name: rootTag.name, start: i, end: rootTag.end, contentStart: rootTag.end };
  const children: ElementSpan[] = [];
  if (rootTag.selfClosing) return { root, children };

  let depth = 1;
  let open: ElementSpan | null = null;
  i = rootTag.end;
  while (depth > 0) {
    const lt = text.indexOf('<', i);
    if (lt < 0) throw new LexError('unclosed root element', i);
    if (text.startsWith('<!--', lt)) {
      i = skipTo(text, lt + 4, '-->');
    } else if (text.startsWith('<![CDATA[', lt)) {
      i = skipTo(text, lt + 9, ']]>');
    } else if (text.startsWith('<?', lt)) {
      i = skipTo(text, lt + 2, '?>');
    } else if (text.startsWith('</', lt)) {
      i = skipTo(text, lt + 2, '>');
      depth--;
      if (depth === 1 && open) {
        open.end = i;
        children.push(open);
        open = null;
      } else if (depth === 0) {
        root.end = i;
      }
    } else {
      const tag = readStartTag(text, lt);
      if (depth === 1) {
        const span: ElementSpan = { name: tag.name, start: lt, end: tag.end, contentStart: tag.end };
        if (tag.selfClosing) children.push(span);
        else open = span;
      }
      if (!tag.selfClosing) depth++;
      i = tag.end;
    }
  }
  return { root, children };
}
