export type {
  Accessor, Argument, CommandElement, Expr, ExprOf, ExpressionElement, HashtableEntry, Pipeline, PipelineElement,
  Position, Script, Statement,
} from './ast.js';
export { IncompleteInputError, ParseError } from './errors.js';
export { firstCommandName, parseScript } from './parse.js';
