/**
 * Pure functions behind herald's object-pipeline cmdlets: formatting
 * (Format-Table, Format-List, default output, ConvertTo-Json) and filtering
 * (Where-Object, Select-Object). Nothing here does I/O; every function
 * returns a string or new values.
 */
export { formatValue, isRecord, DEFAULT_ENUMERATION_LIMIT, type FormatValueOptions } from './value.js';
export { formatTable, DEFAULT_TABLE_WIDTH, type FormatTableOptions } from './table.js';
export { formatList, type FormatListOptions } from './list.js';
export { formatDefault, MAX_TABLE_PROPERTIES, type FormatDefaultOptions } from './default.js';
export { selectObject, type SelectObjectOptions } from './select.js';
export { whereObject, createWherePredicate } from './where.js';
export {
  compileComparison,
  parseOperator,
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  type ParsedOperator,
} from './operators.js';
export { compareValues } from './compare.js';
export { getProperty, findKey } from './properties.js';
export { wildcardToRegExp, hasWildcard } from './wildcard.js';
export { convertToJson, DEFAULT_JSON_DEPTH, type ConvertToJsonOptions } from './json.js';
