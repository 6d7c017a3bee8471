// Main process (core). A check report as plain data for whoever shows it (the contract's
// application.check, `todoke check --json`): the applications with their files, and each problem
// with its fields in one fixed order, absent ones left out.
import type { ApplicationData } from './model.js';
import type { CheckProblem } from './problems.js';

export interface ApplicationSummary {
  folder: string;
  procedureId: string | null;
  files: string[];
}

export function applicationSummaries(data: ApplicationData): ApplicationSummary[] {
  return data.applications.map((app) => ({
    folder: app.folderName,
    procedureId: app.procedureId,
    files: [...(app.kousei ? [app.kousei.name] : []), ...app.files.map((f) => f.name)],
  }));
}

/** Copied field by field: only what a report promises leaves the core, whatever else an object carries. */
export function plainProblem(p: CheckProblem): CheckProblem {
  return {
    severity: p.severity,
    code: p.code,
    ...(p.folder !== undefined ? { folder: p.folder } : {}),
    ...(p.file !== undefined ? { file: p.file } : {}),
    ...(p.line !== undefined ? { line: p.line } : {}),
    ...(p.column !== undefined ? { column: p.column } : {}),
    messageJa: p.messageJa,
    message: p.message,
  };
}
