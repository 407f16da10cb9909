import type { BoundParameters } from './command.js';
import type { Session } from '../session.js';

/**
 * PowerShell's ShouldProcess for one action: -WhatIf describes and skips; -Confirm (or a
 * high-impact cmdlet without -Force) asks. "Yes to All"/"No to All" hold for the rest of the
 * pipeline through `memory`.
 */
export async function shouldProcess(
  session: Session,
  bound: BoundParameters,
  action: { cmdlet: string; target: string; highImpact: boolean; askOnlyInteractively?: boolean },
  memory: { all?: boolean },
): Promise<boolean> {
  const description = `Performing the operation "${action.cmdlet}" on target "${action.target}".`;
  if (bound.WhatIf === true) {
    session.inform(`What if: ${description}`);
    return false;
  }
  const askedByDefault = action.highImpact && !(action.askOnlyInteractively && !session.prompter.interactive);
  const mustAsk = bound.Confirm === true || (askedByDefault && bound.Confirm !== false && bound.Force !== true);
  if (!mustAsk) return true;
  if (memory.all !== undefined) return memory.all;
  const answer = await session.prompter.confirm(`Are you sure you want to perform this action?\n${description}`);
  if (answer === 'yesToAll') memory.all = true;
  if (answer === 'noToAll') memory.all = false;
  return answer === 'yes' || answer === 'yesToAll';
}
