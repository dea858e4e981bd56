// A config error as the user sees it: FILE:LINE:COL and what was expected. Shared by the pipeline
// config loader and by components that load files of their own (the rbac policy).
export interface ConfigError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatConfigError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}
