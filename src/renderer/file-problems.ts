// Renderer. What to tell the person when a chosen certificate file cannot be used: the core's own
// message when it answered, else the renderer's reason (too large, empty, several files, ...).
import type { ErrorPayload } from '../shared/errors.js';
import { MAX_CERTIFICATE_FILE_MB, type FileProblem } from './files.js';
import type { Messages } from './messages/index.js';
import { errorText } from './error-text.js';

export type ChosenFileProblem = FileProblem | 'multipleFiles' | 'notPkcs12';

export function fileProblemText(error: ErrorPayload | null, problem: ChosenFileProblem | null, m: Messages): string {
  if (error) return errorText(error, m);
  switch (problem) {
    case 'tooLarge':
      return m.certificate.tooLarge(MAX_CERTIFICATE_FILE_MB);
    case 'empty':
      return m.certificate.emptyFile;
    case 'multipleFiles':
      return m.certificate.onlyOneFile;
    case 'notPkcs12':
      return m.signer.notPkcs12;
    default:
      return m.certificate.unreadableFile;
  }
}
