// Renderer. A message box that screen readers announce when it appears.
import type { ReactNode } from 'react';
import { Icon } from './Icon.js';
import './Alert.css';

export type AlertTone = 'danger' | 'warning' | 'info' | 'success';

const ICONS = { danger: 'alert', warning: 'alert', info: 'info', success: 'check' } as const;

export function Alert({ tone, title, children, id }: { tone: AlertTone; title: string; children?: ReactNode; id?: string }) {
  return (
    <div className={`alert alert--${tone}`} role="alert" id={id}>
      <span className="alert__icon">
        <Icon name={ICONS[tone]} />
      </span>
      <div className="alert__body">
        <p className="alert__title">{title}</p>
        {children}
      </div>
    </div>
  );
}
