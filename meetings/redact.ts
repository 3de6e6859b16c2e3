/**
 * What meetctl's logs must never show beyond the generic credentials core/log redacts: every field
 * the catalogue marks sensitive (at any depth), and the variable the access token is read from.
 */
import { MEETING_FIELDS, type FieldSpec } from './catalogue.js';

function sensitiveNames(fields: readonly FieldSpec[]): string[] {
  return fields.flatMap((f) => [...(f.sensitive ? [f.name] : []), ...sensitiveNames(f.members ?? [])]);
}

export const LOG_SENSITIVE_KEYS: readonly string[] = [...sensitiveNames(MEETING_FIELDS), 'WEBEX_ACCESS_TOKEN'];
