// Renderer. Where a screen inside a section sits (案件 › 到達番号 … › 公文書 1): each step above
// the current screen is a button that goes there; the last is the current screen.
import type { Route } from '../router/routes.js';
import { useMessages } from '../messages/index.js';
import { useRouterStore } from '../stores/router.js';
import './Breadcrumbs.css';

export interface Crumb {
  label: string;
  /** where the step goes; none for the current screen (the last step) */
  route?: Route;
}

export function Breadcrumbs({ crumbs }: { crumbs: readonly Crumb[] }) {
  const m = useMessages();
  const navigate = useRouterStore((s) => s.navigate);
  return (
    <nav aria-label={m.cases.breadcrumb} className="breadcrumbs">
      <ol>
        {crumbs.map((crumb, i) => {
          const target = crumb.route;
          return (
            <li key={i}>
              {target ? (
                <button type="button" className="breadcrumbs__link" onClick={() => navigate(target)}>
                  {crumb.label}
                </button>
              ) : (
                <span aria-current="page">{crumb.label}</span>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
