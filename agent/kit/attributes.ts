// Record attribute names that more than one component, or a component and the runtime, write or
// read. They are a contract (DESIGN.md, Records): one declaration each, here.

/** The reason a line could not be parsed; the record keeps the original line as its body. */
export const PARSE_ERROR_ATTRIBUTE = 'meshtail.parse.error';
/** The attribute a record carries when a processor could not run on it. */
export const PROCESSOR_ERROR_ATTRIBUTE = 'meshtail.processor.error';
/** Set by mesh_parse on records whose access labels could not be derived. */
export const LABELS_MISSING_ATTRIBUTE = 'meshtail.labels.missing';
/** The tenant a record belongs to: exporters send one request per tenant. */
export const TENANT_ATTRIBUTE = 'meshtail.tenant';
/** The access-log format mesh_parse parsed a line with (a built-in name or a declared one). */
export const LOG_FORMAT_ATTRIBUTE = 'meshtail.log.format';
