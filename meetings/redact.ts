/**
 * What meetctl's logs must never show beyond the generic credentials core/log redacts: every field
 * the catalogue marks sensitive, and the variable the access token is read from.
 */
import { SENSITIVE_FIELDS } from './catalogue.js';

export const LOG_SENSITIVE_KEYS: readonly string[] = [...SENSITIVE_FIELDS, 'WEBEX_ACCESS_TOKEN'];
