// Renderer. 申請 and 公文書, until they exist: the screen says the feature is coming and what it
// will do, so a menu item never leads nowhere.
import { EmptyState } from '../components/EmptyState.js';
import type { IconName } from '../components/Icon.js';
import { useMessages } from '../messages/index.js';

export function ComingSoonScreen({ feature }: { feature: 'applications' | 'documents' }) {
  const m = useMessages();
  const icon: IconName = feature === 'applications' ? 'send' : 'document';
  return (
    <div className="stack">
      <EmptyState icon={icon} title={m.soon.title}>
        <p>{m.soon[feature]}</p>
        <p className="muted">{m.soon.body}</p>
      </EmptyState>
    </div>
  );
}
