import type { Handler, Services } from '../context.js';

export function scheduleHandlers({ scheduler, clock }: Services) {
  const get: Handler<'schedule.get'> = ({ name }) => scheduler.list(name);
  const invoke: Handler<'schedule.invoke'> = ({ name }) => scheduler.invoke(name);
  const setClock: Handler<'testClock.set'> = async ({ now, advance }) => {
    const target = now !== undefined ? new Date(now) : new Date(clock().getTime() + (advance ?? 0));
    return { now: (await scheduler.moveClockTo(target)).toISOString() };
  };
  return { 'schedule.get': get, 'schedule.invoke': invoke, 'testClock.set': setClock };
}
