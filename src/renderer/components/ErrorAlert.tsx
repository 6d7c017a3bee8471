// Renderer. A failure the core reported, in the person's language, under a title that says what
// did not happen; anything after the message (what to do next) goes in as children.
import type { ReactNode } from 'react';
import type { ErrorPayload } from '../../shared/errors.js';
import { errorText } from '../error-text.js';
import { useMessages } from '../messages/index.js';
import { Alert } from './Alert.js';

export function ErrorAlert({ title, error, children }: { title: string; error: ErrorPayload; children?: ReactNode }) {
  const m = useMessages();
  return (
    <Alert tone="danger" title={title}>
      <p>{errorText(error, m)}</p>
      {children}
    </Alert>
  );
}
