// Lint (Node). The import boundaries between Todoke's processes (ARCHITECTURE.md "Boundaries are
// checked by lint"), as one rule over one table of zones. Every zone whose folder holds the linted
// file applies — zones add up, where repeated `no-restricted-imports` entries for the same files
// would silently replace each other. A relative import is resolved against the importing file, so
// `../../main/x` and `../main/x` are judged by where they land, not by how they are spelled.
//
// A zone (paths are relative to ESLint's cwd, the repository root, with forward slashes):
//   target      folder whose files the zone constrains
//   except      sub-folders of target the zone leaves alone
//   message     why, shown with every report
//   onlyWithin  relative imports must land inside one of these folders
//   folders     relative imports must not land inside these folders ...
//   allow       ... except in these modules (paths without extension)
//   builtins    true: no Node built-ins (`node:*`, and bare `fs`, `path`, `crypto` ...)
//   packages    true: no npm packages at all; or a list of package names that are forbidden
// Checked: import/export ... from, import(), require(), `import x = require()`, `import('x').T`.
import { builtinModules } from 'node:module';
import path from 'node:path';

const EXTENSION = /\.(?:[cm]?[jt]sx?|d\.[cm]?ts)$/;
const BUILTINS = new Set(builtinModules);

const zoneSchema = {
  type: 'object',
  properties: {
    target: { type: 'string' },
    except: { type: 'array', items: { type: 'string' } },
    message: { type: 'string' },
    onlyWithin: { type: 'array', items: { type: 'string' } },
    folders: { type: 'array', items: { type: 'string' } },
    allow: { type: 'array', items: { type: 'string' } },
    builtins: { type: 'boolean' },
    packages: { oneOf: [{ type: 'boolean' }, { type: 'array', items: { type: 'string' } }] },
  },
  required: ['target', 'message'],
  additionalProperties: false,
};

/** `a` is the folder `b` or inside it (both repository-relative, forward slashes). */
function within(a, b) {
  return a === b || a.startsWith(`${b}/`);
}

function isRelative(spec) {
  return spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');
}

function isBuiltin(spec) {
  return spec.startsWith('node:') || BUILTINS.has(spec) || BUILTINS.has(spec.split('/')[0]);
}

/** `react-dom/client` -> `react-dom`, `@xmldom/xmldom/lib` -> `@xmldom/xmldom`. */
function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The string a module reference node names, or null when it is computed. */
function specifierOf(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  if (node.type === 'TSLiteralType') return specifierOf(node.literal);
  return null;
}

/** Why `spec`, imported by a file of `zone`, breaks it; null when it does not. */
function violation(zone, spec, fromDir, root) {
  if (isRelative(spec)) {
    const target = path.relative(root, path.resolve(fromDir, spec)).split(path.sep).join('/');
    if (zone.onlyWithin && !zone.onlyWithin.some((folder) => within(target, folder))) {
      return `resolves to ${target}, outside ${zone.onlyWithin.join(', ')}`;
    }
    if (zone.folders?.some((folder) => within(target, folder))) {
      const module = target.replace(EXTENSION, '');
      if (!zone.allow?.includes(module)) return `resolves to ${target}, which is not on the allow-list`;
    }
    return null;
  }
  if (isBuiltin(spec)) return zone.builtins ? 'is a Node built-in' : null;
  if (zone.packages === true) return 'is an npm package';
  if (Array.isArray(zone.packages) && zone.packages.includes(packageName(spec))) return 'is a forbidden package';
  return null;
}

export const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Import boundaries between processes (ARCHITECTURE.md)' },
    schema: [{ type: 'object', properties: { zones: { type: 'array', items: zoneSchema } }, required: ['zones'], additionalProperties: false }],
    messages: { forbidden: "'{{spec}}' {{why}}. {{message}}" },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const zones = context.options[0].zones.filter(
      (zone) => within(file, zone.target) && !(zone.except ?? []).some((folder) => within(file, folder)),
    );
    if (zones.length === 0) return {};
    const fromDir = path.dirname(context.filename);

    function check(node, source) {
      const spec = specifierOf(source);
      if (spec === null) return;
      for (const zone of zones) {
        const why = violation(zone, spec, fromDir, root);
        if (why) context.report({ node: source, messageId: 'forbidden', data: { spec, why, message: zone.message } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.argument),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' && check(node, node.moduleReference.expression),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1 && check(node, node.arguments[0]),
    };
  },
};

export default { meta: { name: 'todoke' }, rules: { boundaries } };
