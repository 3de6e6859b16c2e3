/** `meetctl import`, by job: see meetings/import/ (read, project, guard, names, yaml, existing, run). */
export { keepValid, type FileContent } from './import/guard.js';
export { fileBaseNames, MAX_FILE_BASE, secretVariable, slugify } from './import/names.js';
export { importableFields, keepRoundTripping, occurrenceOverride, type ImportedDocument, type Omission } from './import/project.js';
export { defaultWindow, sameEmail, seriesListQuery, type ImportProblem, type ImportSelection, type SkippedInvitations } from './import/read.js';
export { importMeetings, type ImportedFile, type ImportOptions, type ImportReport } from './import/run.js';
export { renderMeetingYaml, schemaRefFrom, type RenderInput } from './import/yaml.js';
