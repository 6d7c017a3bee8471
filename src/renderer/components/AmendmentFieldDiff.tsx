// Renderer. The field-level diff of one replaced XML file (the core's AmendmentFileView.fields): a
// table with headers — 項目 (the path as a person reads it, the enclosing elements above the field),
// 変更前, 変更後, 種類 — and, when the core capped the list, how many more there are.
import type { AmendmentFileView } from '../../shared/amendment.js';
import { readableFieldPath } from '../amendment-workbench.js';
import { useMessages } from '../messages/index.js';

export function AmendmentFieldDiff({ file }: { file: AmendmentFileView }) {
  const m = useMessages();
  const a = m.amend;
  const fields = file.fields;
  if (!fields) return null;
  if (fields.total === 0) return <p className="muted amend-diff__same">{a.diffSame}</p>;
  const words = { nth: a.pathNth, attribute: a.pathAttribute };
  const more = fields.total - fields.changes.length;
  return (
    <div className="amend-diff">
      <div className="table-wrap">
        <table className="table amend-diff__table">
          <caption className="visually-hidden">{a.diffCaption(file.name)}</caption>
          <thead>
            <tr>
              <th scope="col">{a.diffPath}</th>
              <th scope="col">{a.diffBefore}</th>
              <th scope="col">{a.diffAfter}</th>
              <th scope="col">{a.diffKind}</th>
            </tr>
          </thead>
          <tbody>
            {fields.changes.map((c) => {
              const path = readableFieldPath(c.path, words);
              return (
                <tr key={c.path} className={`amend-diff__row amend-diff__row--${c.change}`}>
                  <th scope="row" className="amend-diff__path" title={c.path}>
                    <span className="amend-diff__leaf">{path.leaf}</span>
                    {path.trail.length > 0 && <span className="amend-diff__trail">{path.trail.join(' › ')}</span>}
                  </th>
                  <td className="amend-diff__value amend-diff__value--before">{c.change === 'added' ? <span className="muted">{a.diffEmpty}</span> : c.before || <span className="muted">{a.diffEmpty}</span>}</td>
                  <td className="amend-diff__value amend-diff__value--after">{c.change === 'removed' ? <span className="muted">{a.diffEmpty}</span> : c.after || <span className="muted">{a.diffEmpty}</span>}</td>
                  <td>
                    <span className={`mini-badge amend-diff__kind amend-diff__kind--${c.change}`}>{a.diffChange[c.change]}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {fields.capped && more > 0 && <p className="muted amend-diff__more">{a.diffMore(more)}</p>}
    </div>
  );
}
