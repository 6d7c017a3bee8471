// Renderer. A quiet box saying there is nothing here yet, and why or what to do: an icon, a short
// title and a line or two of text.
import type { ReactNode } from 'react';
import { Icon, type IconName } from './Icon.js';
import './EmptyState.css';

export function EmptyState({ icon, title, children }: { icon: IconName; title: string; children?: ReactNode }) {
  return (
    <div className="empty-state">
      <Icon name={icon} size={32} />
      <p className="empty-state__title">{title}</p>
      {children}
    </div>
  );
}
