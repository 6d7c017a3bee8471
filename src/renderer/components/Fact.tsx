// Renderer. One row of a description list: the <div> groups a term with its value (allowed in <dl>).
import type { ReactNode } from 'react';
import './Fact.css';

export function Fact({ term, className, children }: { term: string; className?: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{term}</dt>
      <dd className={className}>{children}</dd>
    </div>
  );
}
